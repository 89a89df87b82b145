using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Devices;

namespace GraphCompiler.Benchmarks.Gpu;

/// <summary>
/// The generated device path of <see cref="Mlp784Model"/> against its CPU path, on the device under test:
/// several train steps from the same seed, then the losses and every variable compared with the end-to-end
/// tests' tolerance (1e-4 absolute plus 1e-4 relative). It covers what a model step needs on a GPU: GEMMs
/// (cuBLAS on CUDA), fused elementwise and row kernels (softmax cross-entropy) and the optimizer update.
/// </summary>
internal static class AgreementCheck
{
    private const double Tolerance = 1e-4;

    public static bool Run(Device device, int batch, int steps)
    {
        var cpu = new Mlp784Model(seed: 3);
        var gpu = new Mlp784Model(seed: 3, device);
        try
        {
            var rng = new Random(5);
            double worstLoss = 0, worstVariable = 0;
            for (int step = 0; step < steps; step++)
            {
                var x = new float[batch * 784];
                for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
                var labels = new int[batch];
                for (int i = 0; i < batch; i++) labels[i] = rng.Next(10);
                worstLoss = Math.Max(worstLoss, Excess(cpu.TrainStep(x, labels, 0.05f), gpu.TrainStep(x, labels, 0.05f)));
            }
            gpu.DeviceProgram!.CopyVariablesToHost();
            foreach (var v in ((IModel)cpu).AllVariables)
            {
                var expected = v.ToDoubleArray();
                var actual = ((IModel)gpu).AllVariables[v.Name].ToDoubleArray();
                for (int i = 0; i < expected.Length; i++) worstVariable = Math.Max(worstVariable, Excess(expected[i], actual[i]));
            }
            bool ok = worstLoss <= 1 && worstVariable <= 1;
            // Reported as multiples of the allowed difference: 1 is the limit.
            Console.WriteLine($"RESULT name=agreement_mlp784_b{batch} device=\"{gpu.DeviceProgram.Context.Name}\" steps={steps} loss_vs_tolerance={worstLoss:F3} variables_vs_tolerance={worstVariable:F3} ok={(ok ? "true" : "false")}");
            return ok;
        }
        finally
        {
            gpu.DeviceProgram?.Dispose();
        }
    }

    private static double Excess(double expected, double actual) =>
        double.IsFinite(actual) ? Math.Abs(expected - actual) / (Tolerance + Tolerance * Math.Abs(expected)) : double.PositiveInfinity;
}
