using GraphCompiler.Runtime.Devices;
using GraphCompiler.Runtime.Kernels;
using ILGPU.Runtime;

namespace GraphCompiler.Benchmarks.Gpu;

/// <summary>The device GEMM (cuBLAS on CUDA) for all four transpose combinations against the host GEMM, then its speed.</summary>
internal static class GemmCheck
{
    public static bool Run(DeviceContext device, int m, int n, int k)
    {
        var rng = new Random(1);
        var a = Random(rng, m * k);
        var b = Random(rng, k * n);
        var c0 = Random(rng, m * n);
        using var da = device.Accelerator.Allocate1D(a);
        using var db = device.Accelerator.Allocate1D(b);
        using var dc = device.Accelerator.Allocate1D<float>(m * n);
        bool ok = true;
        foreach (var (ta, tb) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            var expected = (float[])c0.Clone();
            Gemm.Sgemm(ta, tb, m, n, k, 0.5f, a, ta ? m : k, b, tb ? k : n, 0.25f, expected, n);
            dc.CopyFromCPU(c0);
            device.Gemm.Gemm(ta, tb, m, n, k, 0.5f, da.View, db.View, 0.25f, dc.View);
            device.Synchronize();
            var actual = dc.GetAsArray1D();
            double worst = 0;
            for (int i = 0; i < actual.Length; i++) worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]) / (1 + Math.Abs(expected[i])));
            // Inputs in [-1, 1]: rounding grows with k; TF32 tensor cores would need a looser bound, and are not enabled.
            bool agrees = worst <= 1e-5 * (k + 4);
            ok &= agrees;
            Console.WriteLine($"gemm {m}x{n}x{k} transA={ta} transB={tb} via {device.Gemm.Backend}: max relative error {worst:E2} {(agrees ? "ok" : "TOO LARGE")}");
        }
        var time = Timing.Best(device, 10, () => device.Gemm.Gemm(false, false, m, n, k, 1f, da.View, db.View, 0f, dc.View));
        double gflops = 2.0 * m * n * k / time.TotalSeconds / 1e9;
        Console.WriteLine($"RESULT name=gemm_{m}x{n}x{k} device=\"{device.Name}\" backend={device.Gemm.Backend} us={time.TotalMicroseconds:F1} gflops={gflops:F1}");
        return ok;
    }

    private static float[] Random(Random rng, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(rng.NextDouble() * 2 - 1);
        return values;
    }
}
