using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

[Model(Optimizer = Optimizer.GradientDescent)]
public partial class LinearModel
{
    [Loss]
    static Tensor Loss([Shape("n")] Tensor x, [Shape("n")] Tensor y)
    {
        var W = Variable("W", [1], Init.Constant(0.3f));
        var b = Variable("b", [1], Init.Constant(-0.3f));
        var linearModel = W * x + b;
        return ReduceSum(Square(linearModel - y));
    }
}

/// <summary>tf.assign in model code: the loss is computed with the old values, then W and b are set.</summary>
[Model]
public partial class AssignModel
{
    [Output]
    static Tensor LossThenAssign([Shape("n")] Tensor x, [Shape("n")] Tensor y)
    {
        var W = Variable("W", [1], Init.Constant(0.3f));
        var b = Variable("b", [1], Init.Constant(-0.3f));
        var loss = ReduceSum(Square(W * x + b - y));
        Assign(W, Constant([-1f]));
        Assign(b, Constant([1f]));
        return loss;
    }
}

/// <summary>A two-layer perceptron with a helper inlined twice and a mean-squared-error loss.</summary>
[Model]
public partial class MlpModel
{
    static Tensor Dense(Tensor x, Tensor w, Tensor b) => MatMul(x, w) + b;

    [Loss]
    static Tensor Loss([Shape("batch", 6)] Tensor x, [Shape("batch", 3)] Tensor y)
    {
        var w1 = Variable("w1", [6, 5], Init.RandomNormal(0f, 0.5f));
        var b1 = Variable("b1", [5], Init.Constant(0.1f));
        var w2 = Variable("w2", [5, 3], Init.GlorotUniform());
        var b2 = Variable("b2", [3], Init.Zeros());
        var h = Dense(x, w1, b1);
        var hidden = h * h / 4f - h;
        var output = Dense(hidden, w2, b2);
        return ReduceMean(Square(output - y));
    }
}

/// <summary>Layout ops, reductions with axes and keepdims, broadcasting against a column, unary minus.</summary>
[Model]
public partial class ShapesModel
{
    [Loss]
    static Tensor Loss([Shape("n", 4)] Tensor x)
    {
        var w = Variable("w", [3, 4], Init.RandomUniform(-1f, 1f));
        var scale = Variable("scale", [4, 1], Init.Ones());
        var t = Transpose(x);                                   // [4, n]
        var scaled = t * scale;                                 // broadcast [4, 1]
        var back = Reshape(Transpose(scaled), [-1, 2, 2]);      // [n, 2, 2]
        var flat = Reshape(back, [-1, 4]);                      // [n, 4]
        var mixed = MatMul(flat, w, transposeB: true);          // [n, 3]
        var rows = ReduceSum(mixed, [1], keepDims: true);       // [n, 1]
        var centered = mixed - rows / 2f;
        return ReduceSum(-centered * centered) / 3f + ReduceMean(Square(rows));
    }

    [Output]
    static Tensor ColumnSums([Shape("n", 4)] Tensor x)
    {
        var w = Variable("w_out", [4], Init.Ones());
        return ReduceSum(x * w, [0]);
    }
}
