
namespace GraphCompiler.Runtime.Execution;

/// <summary>Random initializers by IR kind, drawn from the counter-based RNG (float32 variables).</summary>
internal static class RandomInit
{
    public static void Apply<T>(Span<T> data, ReadOnlySpan<int> shape, string kind, double a, double b, ulong graphSeed, ulong opSeed)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        if (typeof(T) != typeof(float))
            throw new NotSupportedException($"initializer '{kind}' fills float32 variables; this variable is {typeof(T).Name}");
        var f = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(data);
        switch (kind)
        {
            case "random_normal": Initializers.InitializerKernels.RandomNormal(f, shape, graphSeed, opSeed, (float)a, (float)b); break;
            case "random_uniform": Initializers.InitializerKernels.RandomUniform(f, shape, graphSeed, opSeed, (float)a, (float)b); break;
            case "truncated_normal": Initializers.InitializerKernels.TruncatedNormal(f, shape, graphSeed, opSeed, (float)a, (float)b); break;
            case "glorot_uniform": Initializers.InitializerKernels.GlorotUniform(f, shape, graphSeed, opSeed); break;
            default: throw new NotSupportedException($"unknown initializer '{kind}'");
        }
    }
}
