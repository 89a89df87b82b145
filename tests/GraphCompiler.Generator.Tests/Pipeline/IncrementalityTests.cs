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
        Assert.Contains(typeof(DiagnosticInfo), seen);
        Assert.Contains(typeof(LocationInfo), seen);
        Assert.Contains(typeof(NodeSource), seen);
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
}
