using System.Diagnostics;
using GraphCompiler.Runtime.Devices;

namespace GraphCompiler.Benchmarks.Gpu;

/// <summary>Best-of-N wall time of device work, synchronised so that the time covers the work and not just its launch.</summary>
internal static class Timing
{
    public static TimeSpan Best(DeviceContext device, int repeats, Action work)
    {
        work(); // warm-up: kernel load, first-touch and clocks ramping up
        device.Synchronize();
        var best = TimeSpan.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            work();
            device.Synchronize();
            if (clock.Elapsed < best) best = clock.Elapsed;
        }
        return best;
    }
}
