using System.Diagnostics;
using GraphCompiler.Runtime.Devices;

namespace GraphCompiler.Benchmarks.Gpu;

/// <summary>
/// Times the generated device train step of <see cref="Mlp784Model"/> at a batch size: the step copies
/// its feeds in and the loss out (which waits for the step), so back-to-back steps measure the whole
/// step as a user calls it. Prints <c>OURS name=.. us=..</c>, the median of timed samples.
/// </summary>
internal static class MlpTiming
{
    public static void Run(Device device, int batch, int samples)
    {
        var model = new Mlp784Model(seed: 1, device);
        try
        {
            var rng = new Random(batch);
            var x = new float[batch * 784];
            for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
            var labels = new int[batch];
            for (int i = 0; i < batch; i++) labels[i] = rng.Next(10);
            var clock = Stopwatch.StartNew();
            float first = model.TrainStep(x, labels, 0.01f);
            Console.WriteLine($"mlp batch {batch}: first step (kernel loads included) {clock.Elapsed.TotalMilliseconds:F0} ms, loss {first:F4}");
            for (int i = 0; i < Math.Min(20, samples); i++) model.TrainStep(x, labels, 0.01f);
            var times = new List<double>();
            for (int s = 0; s < samples; s++)
            {
                int steps = 0;
                clock.Restart();
                while (clock.Elapsed.TotalMilliseconds < 5 || steps == 0)
                {
                    model.TrainStep(x, labels, 0.01f);
                    steps++;
                }
                times.Add(clock.Elapsed.TotalMilliseconds * 1000 / steps);
            }
            times.Sort();
            Console.WriteLine($"OURS name=mlp_784_512_512_10_b{batch} us={times[times.Count / 2]:F1}");
            if (model.DeviceProgram is { } program) Console.WriteLine(program.Report());
        }
        finally
        {
            model.DeviceProgram?.Dispose();
        }
    }
}
