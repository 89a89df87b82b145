using GraphCompiler.Generator.Lowering;
using GraphCompiler.Generator.Output;
using GraphCompiler.Generator.Pipeline;
using GraphCompiler.Generator.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using static GraphCompiler.Generator.Tests.Harness.Expect;

namespace GraphCompiler.Generator.Tests.Diagnostics;

/// <summary>GC05xx statistics, GC06xx code generation and GC09xx internal errors.</summary>
public class BuildDiagnosticTests
{
    [Fact]
    public void GC0500_ModelStats()
    {
        var d = Diagnostic(Models.Usings + """
            [Model]
            public partial class [|Tiny|]
            {
                [Loss] static Tensor Loss([Shape(2)] Tensor x) => ReduceSum(x * Variable("w", [2], Init.Ones()));
            }
            """, "GC0500", DiagnosticSeverity.Info);
        Assert.Matches(@"^Model Tiny: 2 parameters, \d+ kernels \(\d+ before fusion\), arena \S+ bytes, about \d+ FLOPs per train step$", d.GetMessage());
    }

    [Fact]
    public void GC0501_GradientBuckets()
    {
        var d = Diagnostic(Models.Usings + """
            [Model(GradientSet = true)]
            public partial class [|Split|]
            {
                [Loss] static Tensor Loss([Shape(2)] Tensor x) => ReduceSum(x * Variable("w", [2], Init.Ones()) + Variable("b", [1], Init.Zeros()));
            }
            """, "GC0501", DiagnosticSeverity.Info);
        Assert.Matches(@"^Model Split: gradient set of 3 floats \(12 bytes\) in 1 all-reduce bucket: bucket 0: 3 floats \(12 bytes\) at 0, b, w, ready after kernel \d+ of \d+ \(.+\)$", d.GetMessage());
    }

    [Fact]
    public void GC0600_EmitFailed()
    {
        // A definition the compiler cannot read stands in for any failure of the compiler stages.
        var where = new LocationInfo("Model.cs", new TextSpan(10, 5), new LinePositionSpan(new LinePosition(2, 3), new LinePosition(2, 8)));
        var spec = new ModelSpec("Broken.g.cs", "Broken", where, "not a model", EquatableArray<NodeSource>.Empty, EquatableArray<DiagnosticInfo>.Empty, EquatableArray<Anchor>.Empty);
        var (source, diagnostics) = ModelOutput.Produce(spec);
        Assert.Null(source);
        var d = Assert.Single(diagnostics);
        Assert.Equal("GC0600", d.Id);
        Assert.Equal(new TextSpan(10, 5), d.Location.SourceSpan);
        Assert.Equal((2, 3), (d.Location.GetLineSpan().StartLinePosition.Line, d.Location.GetLineSpan().StartLinePosition.Character));
        Assert.Contains("Generating the code of model 'Broken' failed: FormatException", d.GetMessage());
    }

    [Fact]
    public void GC0900_InternalError()
    {
        // Lowering against a compilation that does not hold the model's syntax tree makes Roslyn throw
        // inside the evaluator; that must become a diagnostic at the method, not a generator crash.
        var (source, span) = Parse(InModel("""
            static Tensor [|F|]([Shape(2)] Tensor x) => x * 2f;
            """));
        var compilation = GeneratorHarness.Compile(("Model.cs", source));
        var tree = compilation.SyntaxTrees.Single();
        var syntax = tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().Single();
        var type = (INamedTypeSymbol)compilation.GetSemanticModel(tree).GetDeclaredSymbol(syntax)!;
        var other = compilation.RemoveAllSyntaxTrees();
        var spec = ModelLowering.Lower(type, syntax, type.GetAttributes().Single(), other, CancellationToken.None);
        Assert.Null(spec.DefinitionText);
        var d = Assert.Single(spec.Diagnostics);
        Assert.Equal("GC0900", d.Id);
        Assert.Equal(span, d.Location!.Span);
        Assert.Equal(SourceText.From(source).Lines.GetLinePositionSpan(span), d.Location.LineSpan);
        Assert.Equal((6, 15), (d.Location.LineSpan.Start.Line + 1, d.Location.LineSpan.Start.Character + 1));
        Assert.Contains("ArgumentException", d.Args[1]);
    }
}
