using GraphCompiler.Runtime.Devices;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace GraphCompiler.Benchmarks.Gpu;

/// <summary>
/// A fused elementwise chain (one read, one write per element, several ops in registers) against the
/// device's own device-to-device copy: the achieved fraction of copy bandwidth is what a fused kernel
/// can be judged by, since both move the same bytes.
/// </summary>
internal static class BandwidthCheck
{
    // The chain a fused bias + activation + residual kernel computes: y = tanh(x·a + b)·c + x.
    private static void Chain(Index1D i, ArrayView<float> x, ArrayView<float> y, float a, float b, float c) =>
        y[i] = XMath.Tanh(x[i] * a + b) * c + x[i];

    public static bool Run(DeviceContext device, long elements)
    {
        using var x = device.Accelerator.Allocate1D<float>(elements);
        using var y = device.Accelerator.Allocate1D<float>(elements);
        var sample = new float[(int)Math.Min(elements, 4096)];
        for (int i = 0; i < sample.Length; i++) sample[i] = (i % 97 - 48) / 16f;
        x.View.SubView(0, sample.Length).CopyFromCPU(sample);

        // Grouped as generated elementwise kernels are: ILGPU's choice on a GPU, one thread per group on the CPU accelerator.
        var chain = device.Kernels.Auto<ArrayView<float>, ArrayView<float>, float, float, float>(Chain);
        var fused = Timing.Best(device, 10, () => chain((int)elements, x.View, y.View, 0.5f, 0.1f, 2f));
        var copy = Timing.Best(device, 10, () => x.View.CopyTo(y.View));

        // The copy overwrote y; run the chain once more and check its first elements on the host.
        chain((int)elements, x.View, y.View, 0.5f, 0.1f, 2f);
        device.Synchronize();
        var result = new float[sample.Length];
        y.View.SubView(0, sample.Length).CopyToCPU(result);
        double worst = 0;
        for (int i = 0; i < sample.Length; i++)
            {
            float expected = MathF.Tanh(sample[i] * 0.5f + 0.1f) * 2f + sample[i];
            worst = Math.Max(worst, Math.Abs(result[i] - expected) / (1 + Math.Abs(expected)));
        }
        bool agrees = worst <= 1e-5;

        double bytes = 2.0 * sizeof(float) * elements;
        double fusedGbps = bytes / fused.TotalSeconds / 1e9, copyGbps = bytes / copy.TotalSeconds / 1e9;
        Console.WriteLine($"elementwise chain over {elements} floats: max error {worst:E2} {(agrees ? "ok" : "TOO LARGE")}");
        Console.WriteLine($"RESULT name=elementwise_chain device=\"{device.Name}\" elements={elements} fused_gbps={fusedGbps:F1} copy_gbps={copyGbps:F1} fraction_of_copy={fusedGbps / copyGbps:P0}");
        return agrees;
    }
}
