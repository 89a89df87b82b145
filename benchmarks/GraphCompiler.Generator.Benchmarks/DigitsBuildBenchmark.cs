using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using GraphCompiler.Tests.Shared;

namespace GraphCompiler.Generator.Benchmarks;

/// <summary>
/// <c>dotnet build samples/Digits</c> after touching a file that declares no model (so the C# compile
/// runs again), with the generator, against the same build with the generator removed and the code it
/// generated compiled as plain source (<c>NoGenerator.targets</c>). Referenced projects are not
/// rebuilt (<c>--no-dependencies</c>), so the difference is what the generator adds to the build.
/// </summary>
[Config(typeof(BuildConfig))]
public class DigitsBuildBenchmark
{
    private static readonly string Project = Path.Combine(RepositoryRoot.Path, "samples", "Digits", "Digits.csproj");
    private static readonly string Unrelated = Path.Combine(RepositoryRoot.Path, "samples", "Digits", "DigitsData.cs");
    private static readonly string GeneratedCopy = Path.Combine(Path.GetTempPath(), "graphcompiler-digits-generated");

    [GlobalSetup]
    public void Setup()
    {
        Build("--nologo");
        var generated = Path.Combine(Path.GetDirectoryName(Project)!, "obj", "Release", "net10.0", "generated", "GraphCompiler.Generator", "GraphCompiler.Generator.ModelGenerator");
        Directory.CreateDirectory(GeneratedCopy);
        foreach (var old in Directory.GetFiles(GeneratedCopy, "*.g.cs")) File.Delete(old);
        foreach (var file in Directory.GetFiles(generated, "*.g.cs")) File.Copy(file, Path.Combine(GeneratedCopy, Path.GetFileName(file)));
    }

    [Benchmark(Baseline = true)]
    public void WithoutGenerator()
    {
        File.SetLastWriteTimeUtc(Unrelated, DateTime.UtcNow);
        var targets = Path.Combine(AppContext.BaseDirectory, "NoGenerator.targets");
        Build("--no-restore", "--no-dependencies", $"-p:CustomAfterMicrosoftCommonTargets={targets}", $"-p:GraphCompilerGeneratedCopy={GeneratedCopy}");
    }

    [Benchmark]
    public void WithGenerator()
    {
        File.SetLastWriteTimeUtc(Unrelated, DateTime.UtcNow);
        Build("--no-restore", "--no-dependencies");
    }

    private static void Build(params string[] options)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "build", Project, "-c", "Release", "-v", "q", "-nologo" }.Concat(options)) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet build failed ({process.ExitCode}):\n{output.Result}\n{errors}");
    }

    /// <summary>A few single builds each: one takes seconds, and the machine is shared.</summary>
    private sealed class BuildConfig : BenchmarkDotNet.Configs.ManualConfig
    {
        public BuildConfig() =>
            AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3)
                .WithToolchain(new BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain(TimeSpan.FromMinutes(20), logOutput: true)).WithId("Builds"));
    }
}
