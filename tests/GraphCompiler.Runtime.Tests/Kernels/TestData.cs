using GraphCompiler.Runtime.Kernels;

namespace GraphCompiler.Runtime.Tests.Kernels;

/// <summary>Random inputs and the kernel paths this machine can run, for the kernel tests.</summary>
internal static class TestData
{
    /// <summary>
    /// Every kernel path up to the one the hardware supports (scalar always), as ints because the enum is
    /// internal and test method parameters must be public types.
    /// </summary>
    public static TheoryData<int> Isas()
    {
        var data = new TheoryData<int>();
        foreach (var isa in new[] { KernelIsa.Scalar, KernelIsa.Avx2, KernelIsa.Avx512 })
            if (isa <= KernelIsaSelector.Detected) data.Add((int)isa);
        return data;
    }

    public static float[] Floats(System.Random rng, int count, float scale = 1f)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = ((float)rng.NextDouble() * 2f - 1f) * scale;
        return values;
    }

    public static double[] Doubles(System.Random rng, int count)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = rng.NextDouble() * 2 - 1;
        return values;
    }
}
