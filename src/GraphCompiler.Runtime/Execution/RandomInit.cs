namespace GraphCompiler.Runtime.Execution;

/// <summary>Random initializers (filled in from the counter-based RNG).</summary>
internal static class RandomInit
{
    public static void Apply<T>(Span<T> data, ReadOnlySpan<int> shape, string kind, double a, double b, ulong graphSeed, ulong opSeed)
        where T : unmanaged, System.Numerics.INumber<T> =>
        throw new NotSupportedException($"initializer '{kind}' is not available yet");
}
