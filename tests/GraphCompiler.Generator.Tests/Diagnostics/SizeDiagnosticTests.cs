using GraphCompiler.Generator.Tests.Harness;
using static GraphCompiler.Generator.Tests.Harness.Expect;

namespace GraphCompiler.Generator.Tests.Diagnostics;

/// <summary>GC0203: static shapes too large for the arrays that hold tensors.</summary>
public class SizeDiagnosticTests
{
    [Fact]
    public void GC0203_TensorTooLarge_Variable()
    {
        // 4.5e9 elements overflowed the generated constants (CS0220).
        var d = Diagnostic(InModel("""
            [Loss] static Tensor Loss([Shape(2)] Tensor x) => ReduceSum(Variable("w", [|[3, 1500000000]|], Init.Zeros()));
            """), "GC0203");
        Assert.Equal("Variable 'w' of shape [3, 1500000000] has 4,500,000,000 elements, more than one array can hold (2,147,483,591): use smaller dimensions", d.GetMessage());
    }

    [Fact]
    public void GC0203_TensorTooLarge_VariableThatFitsAnIntPerDim()
    {
        // 1e10 elements built and then threw OverflowException in the constructor.
        var d = Diagnostic(InModel("""
            [Loss] static Tensor Loss([Shape(2)] Tensor x) => ReduceSum(Variable("w", [|[100000, 100000]|], Init.Zeros()));
            """), "GC0203");
        Assert.Contains("Variable 'w' of shape [100000, 100000] has 10,000,000,000 elements", d.GetMessage());
    }

    [Fact]
    public void GC0203_TensorTooLarge_Placeholder()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([[|Shape("n", 100000, 100000)|]] Tensor x) => x;
            """), "GC0203");
        Assert.Contains("Placeholder 'x' of shape [n, 100000, 100000]", d.GetMessage());
    }

    [Fact]
    public void GC0203_TensorTooLarge_OpResult()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(100000, 1)] Tensor x, [Shape(1, 100000)] Tensor y) => [|MatMul(x, y)|];
            """), "GC0203");
        Assert.Contains("The result of matmul of shape [100000, 100000]", d.GetMessage());
    }

    [Fact]
    public void GC0203_TensorTooLarge_GeneratedCodeStillCompiles()
    {
        var run = GeneratorHarness.Run(InModel("""
            [Loss] static Tensor Loss([Shape(2)] Tensor x) => ReduceSum(x * Variable("w", [3, 1500000000], Init.Zeros()));
            """));
        Assert.Equal("GC0203", Assert.Single(run.Errors).Id);
        Assert.Empty(run.CSharpProblems);
    }
}
