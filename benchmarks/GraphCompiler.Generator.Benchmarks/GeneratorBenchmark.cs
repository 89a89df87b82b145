using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;

namespace GraphCompiler.Generator.Benchmarks;

/// <summary>
/// The generator over each sample's models, driven the way the compiler server and the IDE drive it:
/// a first run (a new driver), then a run after an edit to a file without models, and after a
/// comment line added at the top of the file that declares the models. Every run gets a fresh
/// compilation, so the times include the binding of the model methods that lowering asks for (which
/// the compiler would do for the build anyway): an upper bound on what the generator adds. The
/// baseline binds the same edited sample without the generator (the compiler's own work before emit).
/// </summary>
[Config(typeof(ShortConfig))]
[MemoryDiagnoser]
public class GeneratorBenchmark
{
    private SampleCompilation _sample = null!;
    private GeneratorDriver _primed = null!;
    private ImmutableArray<SyntaxTree> _unrelatedEdit;
    private ImmutableArray<SyntaxTree> _modelFileEdit;

    [Params("LinearRegression", "Digits", "TwoLayers", "Experiment", "Word2Vec")]
    public string Sample { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _sample = new SampleCompilation(Sample);
        _primed = SampleCompilation.Driver().RunGenerators(_sample.Create());
        _unrelatedEdit = _sample.WithCommentAbove(_sample.UnrelatedTree);
        _modelFileEdit = _sample.WithCommentAbove(_sample.ModelTree);
        var (unrelated, moved) = (ReEmitted(_unrelatedEdit), ReEmitted(_modelFileEdit));
        Console.WriteLine($"// {Sample}: {_sample.ModelCount} models; generated files produced again after an edit to another file: {unrelated}, after a comment above the models: {moved}");
    }

    [Benchmark(Baseline = true)]
    public int BindWithoutGenerator() => _sample.Create(_unrelatedEdit).GetDiagnostics().Length;

    [Benchmark]
    public GeneratorDriver FirstRun() => SampleCompilation.Driver().RunGenerators(_sample.Create());

    [Benchmark]
    public GeneratorDriver EditInAnotherFile() => _primed.RunGenerators(_sample.Create(_unrelatedEdit));

    [Benchmark]
    public GeneratorDriver CommentAboveTheModels() => _primed.RunGenerators(_sample.Create(_modelFileEdit));

    /// <summary>How many generated files the source output step had to add again (not Cached) after the edit.</summary>
    private int ReEmitted(ImmutableArray<SyntaxTree> edited)
    {
        var driver = SampleCompilation.Driver(track: true).RunGenerators(_sample.Create());
        var result = driver.RunGenerators(_sample.Create(edited)).GetRunResult().Results.Single();
        return result.TrackedSteps[TrackingNames.Source].SelectMany(s => s.Outputs).Count(o => o.Reason != IncrementalStepRunReason.Cached);
    }
}
