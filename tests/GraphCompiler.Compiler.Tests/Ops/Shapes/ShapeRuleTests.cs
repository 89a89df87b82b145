using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Passes;
using GraphCompiler.Compiler.Reference;
using ShapeOps = GraphCompiler.Compiler.Ops.Composites.Shapes;

namespace GraphCompiler.Compiler.Tests.Ops.Shapes;

/// <summary>Shape rules, symbolic dims, TensorFlow slicing semantics and the sparse gradient contract of the shape family.</summary>
public class ShapeRuleTests
{
    private static readonly Dim N = Dim.Sym("n");

    private static Node In(GraphBuilder b, string name, params Dim[] dims) => b.Input(name, DType.Float32, Shape.Of(dims));

    private static Node IntIn(GraphBuilder b, string name, params Dim[] dims) => b.Input(name, DType.Int32, Shape.Of(dims));

    private static ShapeException Unrepresentable(Func<Node> make)
    {
        var e = Assert.Throws<ShapeException>(() => make());
        Assert.True(ShapeRules.IsUnrepresentable(e), e.Message);
        return e;
    }

    [Fact]
    public void SymbolicDimsPassThroughShapeOpsWhereTheResultIsOneDim()
    {
        var b = new GraphBuilder("t");
        var x = In(b, "x", N, 4);
        Assert.Equal("[n, 7]", ShapeOps.Concat(b, new[] { x, In(b, "y", N, 3) }, 1).Shape.ToString());
        Assert.Equal("[n, 4]", ShapeOps.Concat(b, new[] { In(b, "e", 0, 4), x }, 0).Shape.ToString());
        Assert.Equal("[n, 2, 4]", ShapeOps.Stack(b, new[] { x, x }, 1).Shape.ToString());
        Assert.Equal("[n, 12]", ShapeOps.Tile(b, x, new[] { 1, 3 }).Shape.ToString());
        Assert.Equal("[n, 6]", ShapeOps.Pad(b, x, new[] { 0, 0, 2, 0 }, 0).Shape.ToString());
        Assert.Equal("[2, 4]", ShapeOps.Slice(b, x, new[] { 1, 0 }, new[] { 2, -1 }).Shape.ToString());
        Assert.Equal("[n, 2]", ShapeOps.Slice(b, x, new[] { 0, 1 }, new[] { -1, 2 }).Shape.ToString());
        Assert.Equal("[n, 4]", ShapeOps.StridedSlice(b, x, new[] { 0 }, new[] { 0 }, new[] { -1 }, 1, 1, 0).Shape.ToString());
        Assert.Equal("[3, 4]", ShapeOps.StridedSlice(b, x, new[] { -3 }, new[] { 0 }, new[] { 1 }, 0, 1, 0).Shape.ToString());
        Assert.Equal("[4]", ShapeOps.StridedSlice(b, x, new[] { -1 }, new[] { 0 }, new[] { 1 }, 0, 0, 1).Shape.ToString());
        Assert.Equal("[n, 1, 4]", ShapeOps.ExpandDims(b, x, 1).Shape.ToString());
        Assert.Equal("[n, 4]", ShapeOps.Squeeze(b, ShapeOps.ExpandDims(b, x, -1), null).Shape.ToString());
        Assert.Equal("[n, 5]", ShapeOps.Gather(b, In(b, "table", 10, 5), IntIn(b, "ids", N), 0).Shape.ToString());
        Assert.Equal("[n, 4, 9]", ShapeOps.OneHot(b, IntIn(b, "labels", N, 4), 9, 1, 0, -1, DType.Float32).Shape.ToString());
        Assert.Equal("[n, 3]", ShapeOps.Fill(b, Shape.Of(N, 3), 2, DType.Float32).Shape.ToString());
    }

    [Fact]
    public void ResultsThatAreNotOneDimAreUnrepresentableAndNameTheAxis()
    {
        var b = new GraphBuilder("t");
        var x = In(b, "x", N, 4);
        Assert.Contains("n + n", Unrepresentable(() => ShapeOps.Concat(b, new[] { x, x }, 0)).Message);
        var stacked = ShapeOps.Stack(b, new[] { x, x }, 0); // [2, n, 4]: stacking adds a static axis
        Unrepresentable(() => ShapeOps.Concat(b, new[] { stacked, stacked }, 1));
        Assert.Contains("axis 0", Unrepresentable(() => ShapeOps.Tile(b, x, new[] { 2, 1 })).Message);
        Assert.Contains("axis 0", Unrepresentable(() => ShapeOps.Pad(b, x, new[] { 1, 0, 0, 0 }, 0)).Message);
        Unrepresentable(() => ShapeOps.Slice(b, x, new[] { 1, 0 }, new[] { -1, -1 }));
        Unrepresentable(() => ShapeOps.StridedSlice(b, x, new[] { 1 }, new[] { 0 }, new[] { 1 }, 0, 1, 0));
        Unrepresentable(() => ShapeOps.StridedSlice(b, x, new[] { 0 }, new[] { 0 }, new[] { 2 }, 1, 1, 0));
        Unrepresentable(() => ShapeOps.Unstack(b, x, 0)[0]);
        Unrepresentable(() => ShapeOps.Split(b, x, 2, 0)[0]);
        Unrepresentable(() => ShapeOps.Squeeze(b, x, new[] { 0 }));
    }

    [Fact]
    public void ErrorsNameTheOffendingDimension()
    {
        var b = new GraphBuilder("t");
        var x = In(b, "x", 3, 1, 4);
        Assert.Equal("squeeze: dimension 2 of [3, 1, 4] has size 4, not 1", Assert.Throws<ShapeException>(() => ShapeOps.Squeeze(b, x, new[] { 2 })).Message);
        Assert.Contains("differ in dimension 2", Assert.Throws<ShapeException>(() => ShapeOps.Concat(b, new[] { x, In(b, "y", 3, 1, 5) }, 0)).Message);
        Assert.Contains("does not divide into 2", Assert.Throws<ShapeException>(() => ShapeOps.Split(b, x, 2, 0)).Message);
        Assert.Contains("do not add up", Assert.Throws<ShapeException>(() => ShapeOps.Split(b, x, new[] { 1, 1 }, 0)).Message);
        Assert.Contains("leaves the dimension of size 4", Assert.Throws<ShapeException>(() => ShapeOps.Slice(b, x, new[] { 0, 0, 2 }, new[] { 1, 1, 3 })).Message);
        Assert.Equal("gather: index 4 at position 1 is outside [0, 4)", Assert.Throws<ShapeException>(() => ShapeOps.Gather(b, x, ShapeOps.Range(b, 2, 5, 2, DType.Int32), -1)).Message);
        Assert.Contains("int32 or int64", Assert.Throws<ShapeException>(() => ShapeOps.Gather(b, x, In(b, "f", 2), 0)).Message);
        Assert.Contains("must be int32", Assert.Throws<ShapeException>(() => ShapeOps.EmbeddingLookup(b, x, b.Input("l", DType.Int64, Shape.Of(2)))).Message);
        Assert.Contains("out of range", Assert.Throws<ShapeException>(() => ShapeOps.StridedSlice(b, x, new[] { 3 }, new[] { 0 }, new[] { 1 }, 0, 0, 1)).Message);
        Assert.Contains("(batch dimensions)", Assert.Throws<ShapeException>(() => b.Apply("matmul", new[] { In(b, "a", 2, 3, 4), In(b, "c", 3, 4, 5) }, MatMul.Flags(false, false))).Message);
    }

    [Fact]
    public void BatchedMatMulBroadcastsBatchAxes()
    {
        var b = new GraphBuilder("t");
        Assert.Equal("[n, 3, 2, 5]", b.Apply("matmul", new[] { In(b, "a", N, 1, 2, 4), In(b, "c", 3, 4, 5) }, MatMul.Flags(false, false)).Shape.ToString());
        Assert.Equal("[7, 4, 2]", b.Apply("matmul", new[] { In(b, "d", 3, 4), In(b, "e", 7, 2, 3) }, MatMul.Flags(true, true)).Shape.ToString());
    }

    /// <summary>Python's own slice rule (CPython's slice.indices), an independent oracle for the clamping of static dims.</summary>
    private static List<int> PythonSlice(int n, int? start, int? stop, int step)
    {
        int lower = step > 0 ? 0 : -1, upper = step > 0 ? n : n - 1;
        int Bound(int? v, int fallback) => v is null ? fallback : v < 0 ? Math.Max(v.Value + n, lower) : Math.Min(v.Value, upper);
        int b = Bound(start, step > 0 ? lower : upper), e = Bound(stop, step > 0 ? upper : lower);
        var result = new List<int>();
        for (int i = b; step > 0 ? i < e : i > e; i += step) result.Add(i);
        return result;
    }

    [Theory]
    [InlineData(7, 1, 5, 2, false, false)]
    [InlineData(7, -2, 0, 1, false, true)]
    [InlineData(7, 0, 0, -1, true, true)]
    [InlineData(7, 5, 1, -2, false, false)]
    [InlineData(7, -1, -8, -3, false, false)]
    [InlineData(7, 10, 20, 1, false, false)]
    [InlineData(7, -100, 100, 3, false, false)]
    [InlineData(7, 3, 3, 1, false, false)]
    [InlineData(1, 0, 0, -1, true, true)]
    [InlineData(0, 0, 0, 1, true, true)]
    public void StridedSliceMatchesPythonSlicing(int n, int begin, int end, int stride, bool beginMask, bool endMask)
    {
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float64, Shape.Of(n, 2));
        var y = ShapeOps.StridedSlice(b, x, new[] { begin }, new[] { end }, new[] { stride }, beginMask ? 1 : 0, endMask ? 1 : 0, 0);
        b.AddOutput("y", y);
        var data = Enumerable.Range(0, 2 * n).Select(i => (double)i).ToArray();
        var result = Interpreter.Outputs(b.Build(), new Dictionary<string, RefTensor> { ["x"] = new(DType.Float64, new[] { n, 2 }, data) }, new Dictionary<string, RefTensor>())["y"];
        var rows = PythonSlice(n, beginMask ? null : begin, endMask ? null : end, stride);
        Assert.Equal(rows.SelectMany(r => new[] { 2.0 * r, 2.0 * r + 1 }), result.Data);
    }

    [Fact]
    public void ReferenceSemanticsOfTheOtherOps()
    {
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float64, Shape.Of(2, 3));
        var ids = b.Input("ids", DType.Int64, Shape.Of(2));
        b.AddOutput("tile", ShapeOps.Tile(b, x, new[] { 1, 2 }));
        b.AddOutput("pad", ShapeOps.Pad(b, x, new[] { 0, 1, 1, 0 }, -1));
        b.AddOutput("gather", ShapeOps.Gather(b, x, ShapeOps.Slice(b, ids, new[] { 0 }, new[] { 1 }), 1));
        b.AddOutput("one_hot", ShapeOps.OneHot(b, ids, 3, 5, -1, 0, DType.Int32));
        b.AddOutput("range", ShapeOps.Range(b, 1, 2, 0.25, DType.Float32));
        b.AddOutput("split", ShapeOps.Split(b, x, new[] { 2, 1 }, 1)[1]);
        b.AddOutput("unstack", ShapeOps.Unstack(b, x, 0)[1]);
        var r = Interpreter.Outputs(b.Build(), new Dictionary<string, RefTensor>
        {
            ["x"] = new(DType.Float64, new[] { 2, 3 }, new double[] { 1, 2, 3, 4, 5, 6 }),
            ["ids"] = new(DType.Int64, new[] { 2 }, new double[] { 2, 7 }),
        }, new Dictionary<string, RefTensor>());
        Assert.Equal(new double[] { 1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6 }, r["tile"].Data);
        Assert.Equal(new double[] { -1, 1, 2, 3, -1, 4, 5, 6, -1, -1, -1, -1 }, r["pad"].Data);
        Assert.Equal(new double[] { -1, -1, -1, -1, 5, -1 }, r["one_hot"].Data);
        Assert.Equal(new double[] { 1, 1.25, 1.5, 1.75 }, r["range"].Data);
        Assert.Equal(new double[] { 3, 6 }, r["split"].Data);
        Assert.Equal(new double[] { 4, 5, 6 }, r["unstack"].Data);
        Assert.Equal(new double[] { 3, 6 }, r["gather"].Data);
    }

    [Fact]
    public void GatherOutOfRangeNamesTheIndexAndItsPosition()
    {
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float64, Shape.Of(2, 3));
        var ids = b.Input("ids", DType.Int64, Shape.Of(2));
        b.AddOutput("gather", ShapeOps.Gather(b, x, ids, 1));
        var e = Assert.Throws<InvalidOperationException>(() => Interpreter.Outputs(b.Build(), new Dictionary<string, RefTensor>
        {
            ["x"] = new(DType.Float64, new[] { 2, 3 }, new double[6]),
            ["ids"] = new(DType.Int64, new[] { 2 }, new double[] { 2, 7 }),
        }, new Dictionary<string, RefTensor>()));
        Assert.Equal("gather: indices[1] = 7 is outside [0, 3) along axis 1 of params [2, 3]", e.Message);
    }

    [Fact]
    public void ATableLookedUpTwiceGetsOneSparseRowsGradientWithBothParts()
    {
        var b = new GraphBuilder("t");
        var table = In(b, "table", 10, 4);
        var a = ShapeOps.EmbeddingLookup(b, table, IntIn(b, "a", N));
        var c = ShapeOps.EmbeddingLookup(b, table, IntIn(b, "c", 3, 2));
        var sum = b.Add(b.Apply("reduce_sum", new[] { a }, Attrs.Of(("axes", new[] { 0, 1 }), ("keepdims", false))),
            b.Apply("reduce_sum", new[] { b.Apply("square", new[] { c }) }, Attrs.Of(("axes", new[] { 0, 1, 2 }), ("keepdims", false))));
        var loss = sum;
        var grad = Autodiff.Gradients(b, loss, new[] { table })[0]!;
        Assert.Equal("sparse_rows", grad.OpName);
        Assert.Same(table, SparseRows.Like(grad));
        var parts = SparseRows.Parts(grad);
        Assert.Equal(2, parts.Count);
        Assert.Equal(new[] { "[3, 2, 4]", "[n, 4]" }, parts.Select(p => p.Values.Shape.ToString()));
        Assert.All(parts, p => Assert.Equal(DType.Int32, p.Ids.DType));
        Assert.DoesNotContain(b.Build().Nodes, n => n.OpName == "add" && n.Shape.Equals(table.Shape));
    }

    [Fact]
    public void ADenseAndASparseGradientOfOneTableAddDensely()
    {
        var b = new GraphBuilder("t");
        var table = In(b, "table", 5, 2);
        var looked = ShapeOps.EmbeddingLookup(b, table, IntIn(b, "ids", 3));
        var loss = b.Add(b.Apply("reduce_sum", new[] { looked }, Attrs.Of(("axes", new[] { 0, 1 }), ("keepdims", false))),
            b.Apply("reduce_sum", new[] { table }, Attrs.Of(("axes", new[] { 0, 1 }), ("keepdims", false))));
        var grad = Autodiff.Gradients(b, loss, new[] { table })[0]!;
        Assert.Equal("add", grad.OpName);
        Assert.Contains(grad.Inputs, i => i.OpName == "sparse_rows");
    }
}
