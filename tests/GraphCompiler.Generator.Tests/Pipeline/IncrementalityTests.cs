using System.Reflection;
using GraphCompiler.Generator.Pipeline;
using GraphCompiler.Generator.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace GraphCompiler.Generator.Tests.Pipeline;

/// <summary>
/// The pipeline model is plain equatable data, so the incremental driver caches it: an edit that does
/// not change a model regenerates nothing, and an edit to the model does.
/// </summary>
public class IncrementalityTests
{
    private static readonly Type[] PlainTypes =
    {
        typeof(string), typeof(int), typeof(long), typeof(bool), typeof(double),
        typeof(TextSpan), typeof(LinePositionSpan), typeof(LinePosition),
    };

    [Fact]
    public void PipelineModelHoldsNoRoslynObjects()
    {
        var seen = new HashSet<Type>();
        CheckPlain(typeof(ModelSpec), "ModelSpec", seen);
        CheckPlain(typeof(CompileInput), "CompileInput", seen);
        CheckPlain(typeof(CompiledModel), "CompiledModel", seen);
        CheckPlain(typeof(GeneratedFile), "GeneratedFile", seen);
        Assert.Contains(typeof(DiagnosticInfo), seen);
        Assert.Contains(typeof(LocationInfo), seen);
        Assert.Contains(typeof(NodeSource), seen);
        Assert.Contains(typeof(RelativeLocation), seen);
        Assert.Contains(typeof(Anchor), seen);
    }

    private static void CheckPlain(Type type, string path, HashSet<Type> seen)
    {
        if (PlainTypes.Contains(type) || !seen.Add(type)) return;
        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            CheckPlain(inner, path, seen);
            return;
        }
        if (type.IsArray)
        {
            CheckPlain(type.GetElementType()!, path + "[]", seen);
            return;
        }
        bool ours = type.Namespace == typeof(ModelSpec).Namespace;
        Assert.True(ours, $"{path} has type {type.FullName}, which is not plain pipeline data");
        if (!type.IsValueType)
            Assert.True(typeof(IEquatable<>).MakeGenericType(type).IsAssignableFrom(type), $"{path}: {type.Name} is not equatable");
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            CheckPlain(field.FieldType, path + "." + field.Name, seen);
    }

    [Fact]
    public void FieldWalkRejectsRoslynTypes()
    {
        var seen = new HashSet<Type>();
        Assert.ThrowsAny<Exception>(() => CheckPlain(typeof(Location), "probe", seen));
    }

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        var compilation = GeneratorHarness.Compile(("Model.cs", Models.LinearRegression), ("Other.cs", "namespace Samples; public static class Other { public static int One() => 1; }"));
        return (GeneratorHarness.CreateDriver().RunGenerators(compilation), compilation);
    }

    private static GeneratorRunResult Rerun(GeneratorDriver driver, Compilation compilation) =>
        driver.RunGenerators(compilation).GetRunResult().Results.Single();

    private static IEnumerable<IncrementalStepRunReason> Reasons(GeneratorRunResult result) =>
        result.TrackedSteps[TrackingNames.Lower].SelectMany(s => s.Outputs).Select(o => o.Reason)
            .Concat(result.TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(s => s.Outputs).Select(o => o.Reason));

    [Fact]
    public void AddingAnUnrelatedClassRegeneratesNothing()
    {
        var (driver, compilation) = FirstRun();
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Unrelated { }", GeneratorHarness.ParseOptions, "Unrelated.cs"));
        var reasons = Reasons(Rerun(driver, edited)).ToList();
        Assert.NotEmpty(reasons);
        Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
    }

    [Fact]
    public void CommentInAnotherFileRegeneratesNothing()
    {
        var (driver, compilation) = FirstRun();
        var other = compilation.SyntaxTrees.Single(t => t.FilePath == "Other.cs");
        var edited = compilation.ReplaceSyntaxTree(other, other.WithChangedText(SourceText.From("// a comment\n" + other.GetText())));
        var reasons = Reasons(Rerun(driver, edited)).ToList();
        Assert.NotEmpty(reasons);
        Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
    }

    [Fact]
    public void EditingTheModelRegenerates()
    {
        var (driver, compilation) = FirstRun();
        var model = compilation.SyntaxTrees.Single(t => t.FilePath == "Model.cs");
        var edited = compilation.ReplaceSyntaxTree(model, model.WithChangedText(SourceText.From(Models.LinearRegression.Replace("0.3f", "0.5f"))));
        var result = Rerun(driver, edited);
        Assert.Contains(IncrementalStepRunReason.Modified, result.TrackedSteps[TrackingNames.Lower].SelectMany(s => s.Outputs).Select(o => o.Reason));
        Assert.Contains(IncrementalStepRunReason.Modified, result.TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(s => s.Outputs).Select(o => o.Reason));
    }

    private static IEnumerable<IncrementalStepRunReason> StepReasons(GeneratorRunResult result, string step) =>
        result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason);

    [Fact]
    public void CommentAboveTheModelCompilesAndEmitsNothing()
    {
        var (driver, compilation) = FirstRun();
        driver = driver.RunGenerators(compilation);
        var before = driver.GetRunResult().Results.Single();
        var model = compilation.SyntaxTrees.Single(t => t.FilePath == "Model.cs");
        var edited = compilation.ReplaceSyntaxTree(model, model.WithChangedText(SourceText.From(Models.LinearRegression.Replace("[Model", "// a comment\n[Model"))));
        driver = driver.RunGenerators(edited);
        var after = driver.GetRunResult().Results.Single();

        // Lowering ran (the class moved, so its spec changed); what the compile step reads did not.
        Assert.Contains(IncrementalStepRunReason.Modified, StepReasons(after, TrackingNames.Lower));
        Assert.All(StepReasons(after, TrackingNames.CompileInput), r => Assert.Equal(IncrementalStepRunReason.Unchanged, r));
        Assert.All(StepReasons(after, TrackingNames.Compile), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.All(StepReasons(after, TrackingNames.Source), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.Equal(before.GeneratedSources.Single().SourceText.ToString(), after.GeneratedSources.Single().SourceText.ToString());

        // The diagnostics follow the model down one line.
        var stats = before.Diagnostics.Single(d => d.Id == "GC0500").Location.GetLineSpan().StartLinePosition.Line;
        Assert.Equal(stats + 1, after.Diagnostics.Single(d => d.Id == "GC0500").Location.GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public void UnrelatedEditRunsLoweringButNotTheCompiler()
    {
        // Roslyn runs a transform that reads the semantic model again after any edit: lowering comes
        // out Unchanged (it ran), and everything after it is Cached (it did not).
        var (driver, compilation) = FirstRun();
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Unrelated { }", GeneratorHarness.ParseOptions, "Unrelated.cs"));
        var result = Rerun(driver, edited);
        Assert.All(StepReasons(result, TrackingNames.Lower), r => Assert.Equal(IncrementalStepRunReason.Unchanged, r));
        foreach (var step in new[] { TrackingNames.CompileInput, TrackingNames.Compile, TrackingNames.Source })
            Assert.All(StepReasons(result, step), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void CompileStepHonoursCancellation()
    {
        var spec = GeneratorHarness.Run(Models.TwoLayerMlp).Specs.Single();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => GraphCompiler.Generator.Output.ModelOutput.Compile(spec.ToCompileInput(), cancelled.Token));
    }

    [Fact]
    public void DriverHonoursCancellation()
    {
        var compilation = GeneratorHarness.Compile(("Model.cs", Models.TwoLayerMlp));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => GeneratorHarness.CreateDriver().RunGenerators(compilation, cancelled.Token));
    }
}
