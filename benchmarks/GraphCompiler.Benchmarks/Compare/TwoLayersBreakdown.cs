using System.Globalization;
using GraphCompiler.Benchmarks.Models;
using GraphCompiler.Runtime.Execution;

namespace GraphCompiler.Benchmarks.Compare;

/// <summary>
/// <c>breakdown</c>: where the <c>two_hidden_layers</c> train step spends its time. Times, in isolation
/// and with the same arguments, each runtime call the generated step makes (the five GEMMs of forward
/// and backward, the bias-gradient and loss reductions) and the whole step; what the calls do not
/// explain is the fused elementwise kernels and call overhead. Lines:
/// <code>PART name=&lt;op&gt; us=&lt;median µs&gt; gflops=&lt;GFLOP/s, GEMMs only&gt;</code>
/// </summary>
/// <remarks>
/// The list mirrors the generated <c>TrainStep</c> (see obj/.../generated/.../TwoLayersModel.g.cs); when the
/// emitter changes what the step calls, update it from that file.
/// </remarks>
public static class TwoLayersBreakdown
{
    private const int B = TwoLayersModel.Batch, I = TwoLayersModel.Inputs, H = TwoLayersModel.Hidden, O = TwoLayersModel.Outputs;

    /// <summary>Runs the mode; returns the process exit code.</summary>
    public static int Run(int samples)
    {
        var x = BenchData.Normal(B * I, seed: 1);
        var y = BenchData.Normal(B * O, seed: 2);
        var w1 = BenchData.Normal(I * H, seed: 3, stddev: 0.1f);
        var w2 = BenchData.Normal(H * O, seed: 4, stddev: 0.1f);
        var h1 = BenchData.Normal(B * H, seed: 5);
        var gOut = BenchData.Normal(B * O, seed: 6);
        var gH1 = BenchData.Normal(B * H, seed: 7);
        float[] outBH = new float[B * H], outBO = new float[B * O], outHO = new float[H * O], outIH = new float[I * H];
        float[] sumO = new float[O], sumH = new float[H], scalar = new float[1];

        var model = new TwoLayersModel(seed: 1);
        double total = Part("whole_step", null, samples, n => { for (int i = 0; i < n; i++) model.TrainStep(x, y, 0.01f); });
        double parts = 0;
        parts += Part("h1/matmul x[200,100]·W1[100,50]", 2.0 * B * I * H, samples,
            n => { for (int i = 0; i < n; i++) CpuOps.MatMul<float>(false, false, B, H, I, x, w1, outBH); });
        parts += Part("h2/matmul h1[200,50]·W2[50,10]", 2.0 * B * H * O, samples,
            n => { for (int i = 0; i < n; i++) CpuOps.MatMul<float>(false, false, B, O, H, h1, w2, outBO); });
        parts += Part("grad/matmul dOut[200,10]·W2ᵀ", 2.0 * B * O * H, samples,
            n => { for (int i = 0; i < n; i++) CpuOps.MatMul<float>(false, true, B, H, O, gOut, w2, outBH); });
        parts += Part("grad/matmul_1 h1ᵀ·dOut → dW2[50,10]", 2.0 * H * O * B, samples,
            n => { for (int i = 0; i < n; i++) CpuOps.MatMul<float>(true, false, H, O, B, h1, gOut, outHO); });
        parts += Part("grad/matmul_3 xᵀ·dH1 → dW1[100,50]", 2.0 * I * H * B, samples,
            n => { for (int i = 0; i < n; i++) CpuOps.MatMul<float>(true, false, I, H, B, x, gH1, outIH); });
        parts += Part("grad/sum_to [200,10]→[10]", null, samples,
            n => { for (int i = 0; i < n; i++) CpuOps.SumTo<float>(gOut, [B, O], sumO, [O]); });
        parts += Part("grad/sum_to_1 [200,50]→[50]", null, samples,
            n => { for (int i = 0; i < n; i++) CpuOps.SumTo<float>(gH1, [B, H], sumH, [H]); });
        parts += Part("reduce_sum [200,10]→[]", null, samples,
            n => { for (int i = 0; i < n; i++) CpuOps.ReduceSum<float>(gOut, [B, O], [0, 1], scalar); });
        Console.WriteLine($"PART name=rest(fused_kernels+overhead) us={Format(total - parts)}");
        return 0;
    }

    private static double Part(string name, double? flops, int samples, Action<int> run)
    {
        double us = StepTimer.MedianMicroseconds(run, samples);
        string gflops = flops is { } f ? $" gflops={Format(f / us / 1e3)}" : "";
        Console.WriteLine($"PART name={name.Replace(' ', '_')} us={Format(us)}{gflops}");
        return us;
    }

    private static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
