using static GraphCompiler.Benchmarks.Models.TwoLayersModel;

namespace GraphCompiler.Benchmarks.Baselines;

/// <summary>
/// The two-layer network's train step written by hand in plain C#: forward, mean squared error,
/// backward and gradient descent, with buffers allocated once.
/// </summary>
public sealed class HandWrittenTwoLayers
{
    private readonly float[] _w1, _b1, _w2, _b2;
    private readonly float[] _h1 = new float[Batch * Hidden];
    private readonly float[] _out = new float[Batch * Outputs];
    private readonly float[] _gOut = new float[Batch * Outputs];
    private readonly float[] _gH1 = new float[Batch * Hidden];
    private readonly float[] _gW1 = new float[Inputs * Hidden];
    private readonly float[] _gB1 = new float[Hidden];
    private readonly float[] _gW2 = new float[Hidden * Outputs];
    private readonly float[] _gB2 = new float[Outputs];

    /// <summary>Starts from copies of the given weights and biases (C order).</summary>
    public HandWrittenTwoLayers(float[] w1, float[] b1, float[] w2, float[] b2)
    {
        _w1 = (float[])w1.Clone();
        _b1 = (float[])b1.Clone();
        _w2 = (float[])w2.Clone();
        _b2 = (float[])b2.Clone();
    }

    /// <summary>The first layer's weights as trained so far.</summary>
    public ReadOnlySpan<float> W1 => _w1;

    /// <summary>Mean squared error before the update, then one gradient-descent step.</summary>
    public float TrainStep(float[] x, float[] y, float learningRate)
    {
        DenseMath.MatMulAddBias(x, _w1, _b1, _h1, Batch, Inputs, Hidden);
        DenseMath.MatMulAddBias(_h1, _w2, _b2, _out, Batch, Hidden, Outputs);

        const float count = Batch * Outputs;
        float loss = 0;
        for (int i = 0; i < _out.Length; i++)
        {
            float d = _out[i] - y[i];
            loss += d * d;
            _gOut[i] = 2 * d / count;
        }

        DenseMath.ColumnSums(_gOut, _gB2, Batch, Outputs);
        DenseMath.MatMulTransposedA(_h1, _gOut, _gW2, Batch, Hidden, Outputs);
        DenseMath.MatMulTransposedB(_gOut, _w2, _gH1, Batch, Outputs, Hidden);
        DenseMath.ColumnSums(_gH1, _gB1, Batch, Hidden);
        DenseMath.MatMulTransposedA(x, _gH1, _gW1, Batch, Inputs, Hidden);

        DenseMath.Descend(_w1, _gW1, learningRate);
        DenseMath.Descend(_b1, _gB1, learningRate);
        DenseMath.Descend(_w2, _gW2, learningRate);
        DenseMath.Descend(_b2, _gB2, learningRate);
        return loss / count;
    }
}
