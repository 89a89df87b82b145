using static GraphCompiler.Generator.Tests.Harness.Expect;

namespace GraphCompiler.Generator.Tests.Diagnostics;

/// <summary>Diagnostics of the shape ops: GC0250 for results along symbolic axes, GC0200 for the rest.</summary>
public class ShapeFamilyDiagnosticTests
{
    [Fact]
    public void GC0250_SymbolicShapeNotRepresentable()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape("n", 3)] Tensor x, [Shape("n", 3)] Tensor y) => [|Concat([x, y], 0)|];
            """), "GC0250");
        Assert.Contains("concat: along axis 0 the result would have size n + n", d.GetMessage());
    }

    [Theory]
    [InlineData("Pad(x, [[1, 0], [0, 0]])", "pad: axis 0 of [n, 3] is symbolic")]
    [InlineData("Tile(x, [2, 1])", "tile: axis 0 of [n, 3] is symbolic")]
    [InlineData("Slice(x, [1, 0], [-1, -1])", "slice: axis 0 of [n, 3] is symbolic")]
    [InlineData("StridedSlice(x, [0], [0], [2], beginMask: 1, endMask: 1)", "strided_slice: axis 0 of [n, 3] is symbolic")]
    [InlineData("Stack(Unstack(x), 1)", "unstack: axis 0 of [n, 3] is symbolic")]
    [InlineData("Split(x, 2)[0]", "split: axis 0 of [n, 3] is symbolic")]
    public void GC0250_SymbolicShapeNotRepresentable_EachOp(string call, string message)
    {
        // The span is the innermost op call at fault.
        var inner = call.StartsWith("Stack(", StringComparison.Ordinal) ? "Unstack(x)" : call.EndsWith("[0]", StringComparison.Ordinal) ? call[..^3] : call;
        var marked = call.Replace(inner, "[|" + inner + "|]", StringComparison.Ordinal);
        var d = Diagnostic(InModel($$"""
            static Tensor F([Shape("n", 3)] Tensor x) => {{marked}};
            """), "GC0250");
        Assert.Contains(message, d.GetMessage());
    }

    [Fact]
    public void GC0200_ShapeError_SqueezeNamesTheDimension()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2, 1, 3)] Tensor x) => [|Squeeze(x, [0])|];
            """), "GC0200");
        Assert.Equal("squeeze: dimension 0 of [2, 1, 3] has size 2, not 1", d.GetMessage());
    }

    [Fact]
    public void GC0200_ShapeError_EmbeddingIdsMustBeInt32()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(4)] Tensor ids)
            {
                var table = Variable("table", [10, 3], Init.Zeros());
                return [|EmbeddingLookup(table, ids)|];
            }
            """), "GC0200");
        Assert.Contains("embedding_lookup: ids must be int32, got f32[4]", d.GetMessage());
    }
}
