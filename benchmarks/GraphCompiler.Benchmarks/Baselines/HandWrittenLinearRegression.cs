namespace GraphCompiler.Benchmarks.Baselines;

/// <summary>
/// The linear-regression train step written the obvious way in C#: one loop for the loss and both
/// gradients, then the update. What the generated step costs beyond this is graph machinery.
/// </summary>
public sealed class HandWrittenLinearRegression
{
    /// <summary>The weight.</summary>
    public float W { get; private set; }

    /// <summary>The bias.</summary>
    public float B { get; private set; }

    /// <summary>Starts from the given weight and bias.</summary>
    public HandWrittenLinearRegression(float w, float b)
    {
        W = w;
        B = b;
    }

    /// <summary>Loss <c>Σ (W·x + b − y)²</c> before the update, then one gradient-descent step.</summary>
    public float TrainStep(ReadOnlySpan<float> x, ReadOnlySpan<float> y, float learningRate)
    {
        float w = W, b = B;
        float loss = 0, gw = 0, gb = 0;
        for (int i = 0; i < x.Length; i++)
        {
            float d = w * x[i] + b - y[i];
            loss += d * d;
            gw += 2 * d * x[i];
            gb += 2 * d;
        }
        W = w - learningRate * gw;
        B = b - learningRate * gb;
        return loss;
    }
}
