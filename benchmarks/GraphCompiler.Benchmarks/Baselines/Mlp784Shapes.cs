namespace GraphCompiler.Benchmarks.Baselines;

/// <summary>The shapes of the <c>mlp_784_512_512_10</c> benchmark (MNIST-sized input, two ReLU layers).</summary>
public static class Mlp784Shapes
{
    /// <summary>Examples per step.</summary>
    public const int Batch = 128;

    /// <summary>Input features (28×28 pixels).</summary>
    public const int Inputs = 784;

    /// <summary>Width of each hidden layer.</summary>
    public const int Hidden = 512;

    /// <summary>Classes.</summary>
    public const int Classes = 10;
}
