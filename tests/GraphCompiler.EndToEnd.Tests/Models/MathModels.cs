using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>The CS20 lecture's tf.gradients example: x = 2, y = 2x³, z = 3 + y²; dz/dx = 768, dz/dy = 32.</summary>
[Model]
public partial class LectureGradientsModel
{
    [Output]
    static (Tensor, Tensor) Lecture([Shape] Tensor x)
    {
        var y = 2f * x * x * x;
        var z = 3f + y * y;
        var grads = Gradients([z], [x, y]);
        return (grads[0], grads[1]);
    }
}

/// <summary>
/// Every op of the math family in one trained model: elementwise math, comparisons, logic, casts,
/// activations, reductions, losses, clipping, dropout and a gradient penalty through Gradients.
/// </summary>
[Model]
public partial class MathOpsModel
{
    static Tensor Hidden(Tensor x)
    {
        var w1 = Variable("w1", [4, 6], Init.RandomNormal(0f, 0.5f));
        var b1 = Variable("b1", [6], Init.Constant(0.1f));
        return MatMul(x, w1) + b1;
    }

    static Tensor Activations(Tensor h) =>
        Relu(h) + 0.5f * Relu6(3f * h) + LeakyRelu(h, 0.1f) + 0.5f * Elu(h) + 0.1f * Selu(h) + Gelu(h)
        + Gelu(h, approximate: true) + 0.3f * Softplus(h) + Softsign(h) + Swish(h) + Sigmoid(h) + Tanh(h);

    static Tensor Elementwise(Tensor h)
    {
        var positive = Sqrt(Square(h) + 1f);
        var smooth = Rsqrt(positive) + Reciprocal(positive) + Log(positive) + Log1p(Abs(h)) + Exp(-Abs(h)) + Pow(positive, 1.5f);
        var clipped = ClipByValue(h, -0.5f, 0.5f) + ClipByNorm(h, 1f, [1]) + Maximum(h, 0.2f) + Minimum(h, -0.2f);
        var selected = Where(LogicalOr(Greater(h, 0.5f), LessEqual(h, -0.5f)), h, 0.25f * Square(h) * Sign(h));
        var wide = Cast(Cast(h, DType.Float64) * 0.5f, DType.Float32);
        return 0.1f * smooth + clipped + selected + wide + StopGradient(h) * 0.01f;
    }

    [Loss]
    static Tensor Loss([Shape("batch", 4)] Tensor x, [Shape("batch", DType = DType.Int32)] Tensor labels, [Shape("batch", 3)] Tensor targets)
    {
        var w2 = Variable("w2", [6, 3], Init.GlorotUniform());
        var h = Hidden(x);
        var features = Dropout(Activations(h) + Elementwise(h), 0.25f);
        var logits = MatMul(features, w2);

        var (clipped, globalNorm) = ClipByGlobalNorm([logits, features], 4f);
        var sparse = SparseSoftmaxCrossEntropyWithLogits(labels, clipped[0]);
        var dense = SoftmaxCrossEntropyWithLogits(Softmax(targets), logits);
        var sigmoid = ReduceMean(SigmoidCrossEntropyWithLogits(Sigmoid(targets), logits));
        var mse = MeanSquaredError(targets, LogSoftmax(logits, 0));

        var predicted = ArgMax(logits, 1);
        var correct = Equal(predicted, Cast(labels, DType.Int64));
        var unsure = LogicalAnd(NotEqual(ArgMin(logits, 1), predicted), LogicalNot(Less(ReduceMax(logits, [1]), 0f)));
        var weights = LogicalXor(correct, unsure);
        var labelled = Cast(GreaterEqual(Cast(labels, DType.Float32), 1f), DType.Float32);
        var masked = MaskedMean(sparse + dense, weights) + MaskedMean(sparse, labelled);

        var (mean, variance) = Moments(logits, [0]);
        var statistics = ReduceSum(Square(mean)) + ReduceSum(variance) + ReduceVariance(features)
            + 0.1f * ReduceSum(ReduceLogSumExp(logits, [1])) + ReduceMean(ReduceProd(Sigmoid(logits), [1]))
            + ReduceMean(ReduceMin(logits, [1], keepDims: true));
        var penalty = L2Loss(Gradients([ReduceSum(Square(h))], [x])[0]);
        return masked + sigmoid + mse + 0.01f * statistics + 0.001f * (L2Loss(logits) + penalty) + 0.01f * globalNorm;
    }

    [Output]
    static (Tensor, Tensor, Tensor) Predict([Shape("batch", 4)] Tensor x)
    {
        var w2 = Variable("w2", [6, 3], Init.GlorotUniform());
        var h = Hidden(x);
        var logits = MatMul(Dropout(Activations(h) + Elementwise(h), 0.25f), w2);
        return (Softmax(logits), ArgMax(logits, 1), Greater(logits, 0f));
    }
}
