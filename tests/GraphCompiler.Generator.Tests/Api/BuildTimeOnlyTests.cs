using static GraphCompiler.Ops;

namespace GraphCompiler.Generator.Tests.Api;

/// <summary>The user API only describes graphs: reaching it at run time fails with a message that says why.</summary>
public class BuildTimeOnlyTests
{
    public static TheoryData<string, Action> Members() => new()
    {
        { "Ops.Variable", () => Variable("W", [1], null!) },
        { "Ops.MatMul", () => MatMul(default, default) },
        { "Ops.ReduceMean", () => ReduceMean(default) },
        { "Ops.GetVariable", () => GetVariable("w", [1]) },
        { "Ops.VariableScope", () => VariableScope("s", Reuse.Auto) },
        { "Init.RandomNormal", () => Init.RandomNormal() },
        { "Tensor +", () => _ = default(Tensor) + 1f },
        { "Tensor conversion", () => _ = (Tensor)2f },
        { "Tensor.Shape", () => _ = default(Tensor).Shape },
    };

    [Theory]
    [MemberData(nameof(Members))]
    public void ThrowsAtRunTime(string member, Action call)
    {
        var e = Assert.Throws<InvalidOperationException>(call);
        Assert.StartsWith(member + " describes a graph and runs at build time only", e.Message);
    }

    [Fact]
    public void ShapeAttributeKeepsItsDimensions()
    {
        var shape = new ShapeAttribute("batch", 784) { DType = DType.Float64 };
        Assert.Equal(new object[] { "batch", 784 }, shape.Dims);
        Assert.Equal(DType.Float64, shape.DType);
        Assert.Equal(Optimizer.GradientDescent, new ModelAttribute().Optimizer);
    }
}
