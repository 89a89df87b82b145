using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Tests.Ops;

public class ShapeInferenceTests
{
    private static Node In(GraphBuilder b, string name, params Dim[] dims) => b.Input(name, DType.Float32, Shape.Of(dims));

    [Theory]
    [InlineData(new[] { 3, 4 }, new[] { 4 }, new[] { 3, 4 })]
    [InlineData(new[] { 3, 1 }, new[] { 1, 5 }, new[] { 3, 5 })]
    [InlineData(new int[0], new[] { 2, 2 }, new[] { 2, 2 })]
    [InlineData(new[] { 2, 1, 4 }, new[] { 3, 1 }, new[] { 2, 3, 4 })]
    public void BroadcastingFollowsNumpy(int[] a, int[] b, int[] expected)
    {
        var g = new GraphBuilder("t");
        var r = g.Add(g.Input("a", DType.Float32, Shape.Of(a)), g.Input("b", DType.Float32, Shape.Of(b)));
        Assert.Equal(Shape.Of(expected), r.Shape);
    }

    [Fact]
    public void SymbolicDimsBroadcastWithOneAndThemselves()
    {
        var g = new GraphBuilder("t");
        var x = In(g, "x", Dim.Sym("n"), 4);
        var bias = In(g, "b", 4);
        var col = In(g, "c", Dim.Sym("n"), 1);
        Assert.Equal("[n, 4]", g.Add(g.Add(x, bias), col).Shape.ToString());
    }

    [Fact]
    public void IncompatibleBroadcastNamesBothShapes()
    {
        var g = new GraphBuilder("t");
        var e = Assert.Throws<ShapeException>(() => g.Add(In(g, "a", 3, 4), In(g, "b", 5)));
        Assert.Contains("[3, 4]", e.Message);
        Assert.Contains("[5]", e.Message);
    }

    [Fact]
    public void DifferentSymbolsDoNotBroadcast()
    {
        var g = new GraphBuilder("t");
        Assert.Throws<ShapeException>(() => g.Add(In(g, "a", Dim.Sym("n")), In(g, "b", Dim.Sym("m"))));
    }

    [Fact]
    public void MatMulShapeMismatchNamesBothShapes()
    {
        var g = new GraphBuilder("t");
        var e = Assert.Throws<ShapeException>(() => g.Apply("matmul", new[] { In(g, "a", 200, 100), In(g, "b", 50, 10) }));
        Assert.Contains("[200, 100]", e.Message);
        Assert.Contains("[50, 10]", e.Message);
    }

    [Fact]
    public void MatMulWithTransposeFlags()
    {
        var g = new GraphBuilder("t");
        var r = g.Apply("matmul", new[] { In(g, "a", 100, Dim.Sym("n")), In(g, "b", 10, 100) }, MatMul.Flags(true, true));
        Assert.Equal("[n, 10]", r.Shape.ToString());
    }

    [Fact]
    public void ReduceSumKeepdimsAndAxes()
    {
        var g = new GraphBuilder("t");
        var x = In(g, "x", Dim.Sym("n"), 3, 4);
        Assert.Equal("[n, 4]", g.Apply("reduce_sum", new[] { x }, Attrs.Of(("axes", new[] { 1 }), ("keepdims", false))).Shape.ToString());
        Assert.Equal("[1, 3, 1]", g.Apply("reduce_sum", new[] { x }, Attrs.Of(("axes", new[] { 0, 2 }), ("keepdims", true))).Shape.ToString());
        Assert.Throws<ShapeException>(() => g.Apply("reduce_sum", new[] { x }, Attrs.Of(("axes", new[] { 3 }), ("keepdims", false))));
    }

    [Fact]
    public void ReshapeInfersOneDimAndChecksCounts()
    {
        Assert.Equal("[3, 4]", Reshape.Resolve(Shape.Of(2, 6), new Dim?[] { 3, null }).ToString());
        Assert.Equal("[n, 4]", Reshape.Resolve(Shape.Of(Dim.Sym("n"), 2, 2), new Dim?[] { null, 4 }).ToString());
        Assert.Throws<ShapeException>(() => Reshape.Resolve(Shape.Of(2, 6), new Dim?[] { 5, null }));
        Assert.Throws<ShapeException>(() => Reshape.Resolve(Shape.Of(2, 6), new Dim?[] { null, null }));
        var g = new GraphBuilder("t");
        Assert.Throws<ShapeException>(() => g.Apply("reshape", new[] { In(g, "x", 2, 6) }, Attrs.Of(("shape", Shape.Of(5, 2)))));
    }

    [Fact]
    public void TransposeChecksThePermutation()
    {
        var g = new GraphBuilder("t");
        var x = In(g, "x", 2, 3, 4);
        Assert.Equal("[4, 2, 3]", g.Apply("transpose", new[] { x }, Attrs.Of(("perm", new[] { 2, 0, 1 }))).Shape.ToString());
        Assert.Throws<ShapeException>(() => g.Apply("transpose", new[] { x }, Attrs.Of(("perm", new[] { 0, 0, 1 }))));
    }

    [Fact]
    public void MixedDtypesAreRejected()
    {
        var g = new GraphBuilder("t");
        var e = Assert.Throws<ShapeException>(() => g.Add(g.Input("a", DType.Float32, Shape.Of(2)), g.Input("b", DType.Float64, Shape.Of(2))));
        Assert.Contains("f64", e.Message);
    }

    [Fact]
    public void NamesAreUniquifiedInScopesAsInTensorFlow()
    {
        var g = new GraphBuilder("t");
        var x = In(g, "x", 2);
        Assert.Equal("mul", g.Mul(x, x).Name);
        Assert.Equal("mul_1", g.Mul(x, x).Name);
        Assert.Equal("layer", g.PushNameScope("layer"));
        Assert.Equal("layer/mul", g.Mul(x, x).Name);
        g.PopNameScope();
        Assert.Equal("layer_1", g.PushNameScope("layer"));
        g.PopNameScope();
    }
}
