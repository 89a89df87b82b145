using GraphCompiler.Generator.Tests.Harness;
using Microsoft.CodeAnalysis;
using static GraphCompiler.Generator.Tests.Harness.Expect;

namespace GraphCompiler.Generator.Tests.Diagnostics;

/// <summary>GC00xx: the model class and the signatures of its entry methods.</summary>
public class DiscoveryDiagnosticTests
{
    [Fact]
    public void GC0001_ModelNotPartial()
    {
        var d = Diagnostic(Models.Usings + """
            [Model]
            public class [|Plain|]
            {
                [Loss] static Tensor Loss([Shape(1)] Tensor x) => x;
            }
            """, "GC0001");
        Assert.Contains("'Plain' must be declared partial", d.GetMessage());
    }

    [Fact]
    public void GC0002_NoEntryPoints()
    {
        var d = Diagnostic(Models.Usings + """
            [Model]
            public partial class [|Empty|]
            {
                static Tensor Helper(Tensor x) => x;
            }
            """, "GC0002", DiagnosticSeverity.Warning);
        Assert.Contains("no entry methods", d.GetMessage());
    }

    [Fact]
    public void GC0003_BadShapeArgument()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(3, [|-2|])] Tensor x) => x;
            """), "GC0003");
        Assert.Contains("dimension 2 is invalid: the size -2 is negative", d.GetMessage());
    }

    [Fact]
    public void GC0003_BadShapeArgument_NotAnIdentifier()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape([|"batch size"|])] Tensor x) => x;
            """), "GC0003");
        Assert.Contains("\"batch size\" is not an identifier", d.GetMessage());
    }

    [Fact]
    public void GC0003_BadShapeArgument_NullIsTensorFlowsNone()
    {
        // [Shape(null)] passes a null params array; it used to be an internal error.
        var d = Diagnostic(InModel("""
            static Tensor F([[|Shape(null)|]] Tensor x) => x;
            """), "GC0003");
        Assert.Contains("null (TensorFlow's None) is not a dimension here: name an unknown size", d.GetMessage());
    }

    [Fact]
    public void GC0003_BadShapeArgument_NullAmongDims()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape([|null|], 784)] Tensor x) => x;
            """), "GC0003");
        Assert.Contains("dimension 1 is invalid: null (TensorFlow's None)", d.GetMessage());
    }

    [Fact]
    public void GC0012_OverloadedEntry()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2)] Tensor x) => x;
            static Tensor [|F|]([Shape(3)] Tensor x, [Shape(3)] Tensor y) => x + y;
            """), "GC0012");
        Assert.StartsWith("Another entry method is already named 'F'", d.GetMessage());
    }

    [Fact]
    public void GC0012_OverloadedEntry_NotReportedForADuplicateDeclaration()
    {
        // Two identical declarations are the C# compiler's error (CS0111); generated code keeps one.
        var run = Harness.GeneratorHarness.Run(InModel("""
            static Tensor F([Shape(2)] Tensor x) => x;
            static Tensor F([Shape(2)] Tensor x) => x;
            """));
        Assert.DoesNotContain(run.Gc, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        Assert.Equal(new[] { "CS0111" }, run.CSharpProblems.Select(d => d.Id).Distinct());
    }

    [Fact]
    public void GC0011_BadShapeDType()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2, DType = [|(DType)77|])] Tensor x) => x;
            """), "GC0011");
        Assert.Contains("DType 77 of parameter 'x' is not a DType", d.GetMessage());
    }

    [Fact]
    public void GC0004_UnshapedParameter()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2)] Tensor x, Tensor [|y|]) => x + y;
            """), "GC0004");
        Assert.Contains("Parameter 'y' of entry method 'F'", d.GetMessage());
    }

    [Fact]
    public void GC0005_NonStaticModelMethod()
    {
        var d = Diagnostic(InModel("""
            [Loss] Tensor [|Loss|]([Shape(2)] Tensor x) => ReduceSum(x);
            """), "GC0005");
        Assert.Contains("'Loss' must be static", d.GetMessage());
    }

    [Fact]
    public void GC0006_MultipleLoss()
    {
        var d = Diagnostic(InModel("""
            [Loss] static Tensor First([Shape(2)] Tensor x) => ReduceSum(x);
            [Loss] static Tensor [|Second|]([Shape(2)] Tensor x) => ReduceSum(x);
            """), "GC0006");
        Assert.Contains("already has the [Loss] method 'First'", d.GetMessage());
    }

    [Fact]
    public void GC0007_UnsupportedModelClass()
    {
        var d = Diagnostic(Models.Usings + """
            public partial class Outer
            {
                [Model]
                public partial class [|Inner|]
                {
                    [Loss] static Tensor Loss([Shape(1)] Tensor x) => x;
                }
            }
            """, "GC0007");
        Assert.Contains("top-level", d.GetMessage());
    }

    [Fact]
    public void GC0008_BadReturnType()
    {
        var d = Diagnostic(InModel("""
            static [|float|] F([Shape(2)] Tensor x) => 1f;
            """), "GC0008");
        Assert.Contains("returns 'float'", d.GetMessage());
    }

    [Fact]
    public void GC0009_GenericEntry()
    {
        var d = Diagnostic(InModel("""
            static Tensor [|F|]<T>([Shape(2)] Tensor x) => x;
            """), "GC0009");
        Assert.Contains("cannot be generic", d.GetMessage());
    }

    [Fact]
    public void GC0010_LossNotTensor()
    {
        var d = Diagnostic(InModel("""
            [Loss] static [|(Tensor, Tensor)|] Loss([Shape(2)] Tensor x) => (x, x);
            """), "GC0010");
        Assert.Contains("must return a single Tensor", d.GetMessage());
    }
}
