using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace GraphCompiler.Generator.Benchmarks;

/// <summary>
/// A short job run in this process: these benchmarks take milliseconds to seconds per operation and
/// share a busy machine, so a few iterations say enough and rebuilding a separate host would not.
/// </summary>
public sealed class ShortConfig : ManualConfig
{
    public ShortConfig()
    {
        AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortInProcess"));
    }
}
