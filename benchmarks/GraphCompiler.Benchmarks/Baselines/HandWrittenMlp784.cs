using static GraphCompiler.Benchmarks.Baselines.Mlp784Shapes;

namespace GraphCompiler.Benchmarks.Baselines;

/// <summary>
/// The <c>mlp_784_512_512_10</c> train step written by hand in plain C#: two ReLU layers, a linear
/// output, the mean softmax cross-entropy against integer labels, backward and gradient descent.
/// </summary>
public sealed class HandWrittenMlp784
{
    private readonly float[] _w1, _b1, _w2, _b2, _w3, _b3;
    private readonly float[] _h1 = new float[Batch * Hidden];
    private readonly float[] _h2 = new float[Batch * Hidden];
    private readonly float[] _logits = new float[Batch * Classes];
    private readonly float[] _gLogits = new float[Batch * Classes];
    private readonly float[] _gH2 = new float[Batch * Hidden];
    private readonly float[] _gH1 = new float[Batch * Hidden];
    private readonly float[] _gW1 = new float[Inputs * Hidden];
    private readonly float[] _gB1 = new float[Hidden];
    private readonly float[] _gW2 = new float[Hidden * Hidden];
    private readonly float[] _gB2 = new float[Hidden];
    private readonly float[] _gW3 = new float[Hidden * Classes];
    private readonly float[] _gB3 = new float[Classes];

    /// <summary>Starts from copies of the given weights and biases (C order).</summary>
    public HandWrittenMlp784(float[] w1, float[] b1, float[] w2, float[] b2, float[] w3, float[] b3)
    {
        _w1 = (float[])w1.Clone();
        _b1 = (float[])b1.Clone();
        _w2 = (float[])w2.Clone();
        _b2 = (float[])b2.Clone();
        _w3 = (float[])w3.Clone();
        _b3 = (float[])b3.Clone();
    }

    /// <summary>Mean cross-entropy before the update, then one gradient-descent step.</summary>
    public float TrainStep(float[] x, int[] labels, float learningRate)
    {
        DenseMath.MatMulAddBias(x, _w1, _b1, _h1, Batch, Inputs, Hidden);
        Relu(_h1);
        DenseMath.MatMulAddBias(_h1, _w2, _b2, _h2, Batch, Hidden, Hidden);
        Relu(_h2);
        DenseMath.MatMulAddBias(_h2, _w3, _b3, _logits, Batch, Hidden, Classes);

        float loss = SoftmaxCrossEntropy(labels);

        DenseMath.ColumnSums(_gLogits, _gB3, Batch, Classes);
        DenseMath.MatMulTransposedA(_h2, _gLogits, _gW3, Batch, Hidden, Classes);
        DenseMath.MatMulTransposedB(_gLogits, _w3, _gH2, Batch, Classes, Hidden);
        ReluBackward(_h2, _gH2);
        DenseMath.ColumnSums(_gH2, _gB2, Batch, Hidden);
        DenseMath.MatMulTransposedA(_h1, _gH2, _gW2, Batch, Hidden, Hidden);
        DenseMath.MatMulTransposedB(_gH2, _w2, _gH1, Batch, Hidden, Hidden);
        ReluBackward(_h1, _gH1);
        DenseMath.ColumnSums(_gH1, _gB1, Batch, Hidden);
        DenseMath.MatMulTransposedA(x, _gH1, _gW1, Batch, Inputs, Hidden);

        DenseMath.Descend(_w1, _gW1, learningRate);
        DenseMath.Descend(_b1, _gB1, learningRate);
        DenseMath.Descend(_w2, _gW2, learningRate);
        DenseMath.Descend(_b2, _gB2, learningRate);
        DenseMath.Descend(_w3, _gW3, learningRate);
        DenseMath.Descend(_b3, _gB3, learningRate);
        return loss;
    }

    /// <summary>Mean over the batch of <c>logsumexp(logits) − logits[label]</c>; writes its gradient.</summary>
    private float SoftmaxCrossEntropy(int[] labels)
    {
        double total = 0;
        for (int i = 0; i < Batch; i++)
        {
            var row = _logits.AsSpan(i * Classes, Classes);
            var grad = _gLogits.AsSpan(i * Classes, Classes);
            int label = labels[i];
            if ((uint)label >= Classes)
                throw new ArgumentOutOfRangeException(nameof(labels), $"label {label} at example {i} is not in [0, {Classes})");
            float max = row[0];
            for (int j = 1; j < Classes; j++) max = Math.Max(max, row[j]);
            float sum = 0;
            for (int j = 0; j < Classes; j++)
            {
                grad[j] = MathF.Exp(row[j] - max);
                sum += grad[j];
            }
            total += max + MathF.Log(sum) - row[label];
            for (int j = 0; j < Classes; j++) grad[j] = grad[j] / sum / Batch;
            grad[label] -= 1f / Batch;
        }
        return (float)(total / Batch);
    }

    private static void Relu(float[] h)
    {
        for (int i = 0; i < h.Length; i++) h[i] = Math.Max(h[i], 0f);
    }

    /// <summary>Zeroes the gradient where the (post-activation) output was not positive.</summary>
    private static void ReluBackward(float[] output, float[] grad)
    {
        for (int i = 0; i < grad.Length; i++)
            if (output[i] <= 0f) grad[i] = 0f;
    }
}
