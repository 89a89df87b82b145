using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using IrDType = GraphCompiler.Compiler.IR.DType;
using static GraphCompiler.Generator.Tests.Harness.Lowered;

namespace GraphCompiler.Generator.Tests.Lowering;

/// <summary>Each shape op lowers to the expected primitives, attributes and shapes.</summary>
public class ShapeOpLoweringTests
{
    private static string Shape(Node n) => n.DType.ShortName() + n.Shape;

    [Fact]
    public void ExpandDimsAndSqueezeAreReshapes()
    {
        var g = Entry("""
            static Tensor F([Shape("n", 1, 3)] Tensor x) => Squeeze(ExpandDims(Squeeze(x), -1), [2]);
            """);
        Assert.Equal("input reshape reshape reshape", Ops(g));
        Assert.Equal(new[] { "[n, 3]", "[n, 3, 1]", "[n, 3]" }, g.OfOp("reshape").Select(r => r.Attrs.GetShape("shape").ToString()));
    }

    [Fact]
    public void ConcatAndStackJoinAlongTheNormalisedAxis()
    {
        var g = Entry("""
            static (Tensor, Tensor) F([Shape("n", 2)] Tensor a, [Shape("n", 3)] Tensor b) => (Concat([a, b], -1), Stack([a, a, a], axis: -1));
            """);
        var concats = g.OfOp("concat").ToList();
        Assert.Equal(new[] { 1, 2 }, concats.Select(c => c.Attrs.GetInt("axis")));
        Assert.Equal("f32[n, 5]", Shape(concats[0]));
        Assert.Equal("f32[n, 2, 3]", Shape(concats[1]));
        Assert.Equal(3, concats[1].Inputs.Count);
    }

    [Fact]
    public void UnstackAndSplitReturnArraysOfWindows()
    {
        var g = Entry("""
            static Tensor F([Shape(3, "n")] Tensor x)
            {
                var rows = Unstack(x);
                var parts = Split(x, [1, -1]);
                var halves = Split(Concat([x, x], 0), 2);
                return rows[2] + ReduceSum(parts[1], [0]) + ReduceSum(halves[1], [0]);
            }
            """);
        var slices = g.OfOp("strided_slice").ToList();
        Assert.Equal(new[] { "[1, n]", "[1, n]", "[1, n]", "[1, n]", "[2, n]", "[3, n]", "[3, n]" }, slices.Select(s => s.Shape.ToString()));
        Assert.Equal(new[] { 0, 1, 2, 0, 1, 0, 3 }, slices.Select(s => s.Attrs.GetInts("begin")[0]));
        Assert.Equal("f32[n]", Shape(g.Result()));
    }

    [Fact]
    public void SliceAndStridedSliceResolveToBeginStridesAndShape()
    {
        var g = Entry("""
            static (Tensor, Tensor, Tensor) F([Shape("n", 6)] Tensor x) =>
                (Slice(x, [0, 2], [-1, 3]), StridedSlice(x, [-2, 5], [0, 0], [1, -2], endMask: 1), StridedSlice(x, [0, 3], [0, 0], null, beginMask: 1, endMask: 1, shrinkAxisMask: 2));
            """);
        var s = g.OfOp("strided_slice").ToList();
        Assert.Equal(("[0,2]", "[1,1]", "[n, 3]"), (Ints(s[0], "begin"), Ints(s[0], "strides"), s[0].Shape.ToString()));
        Assert.Equal(("[-2,5]", "[1,-2]", "[2, 3]"), (Ints(s[1], "begin"), Ints(s[1], "strides"), s[1].Shape.ToString()));
        Assert.Equal(("[0,3]", "[n, 1]"), (Ints(s[2], "begin"), s[2].Shape.ToString()));
        Assert.Equal("f32[n]", Shape(g.Outputs[2].Node));
    }

    private static string Ints(Node n, string attr) => "[" + string.Join(",", n.Attrs.GetInts(attr)) + "]";

    [Fact]
    public void TileAndPadKeepTheirAttributes()
    {
        var g = Entry("""
            static (Tensor, Tensor, Tensor) F([Shape("n", 2)] Tensor x) => (Tile(x, [1, 3]), Pad(x, [[0, 0], [1, 2]], 7f), Pad(x, [0, 0, 0, 1]));
            """);
        Assert.Equal("f32[n, 6]", Shape(g.OfOp("tile").Single()));
        var pads = g.OfOp("pad").ToList();
        Assert.Equal(new[] { 0, 0, 1, 2 }, pads[0].Attrs.GetInts("paddings"));
        Assert.Equal(7.0, pads[0].Attrs.GetDouble("value"));
        Assert.Equal(new[] { "[n, 5]", "[n, 3]" }, pads.Select(p => p.Shape.ToString()));
    }

    [Fact]
    public void GatherAndEmbeddingLookupTakeIntegerIndicesOfSymbolicLength()
    {
        var g = Entry("""
            static (Tensor, Tensor) F([Shape("batch", DType = DType.Int32)] Tensor ids, [Shape(4, 2, DType = DType.Int64)] Tensor cols)
            {
                var table = Variable("embeddings", [50, 8], Init.RandomUniform(-1f, 1f));
                return (EmbeddingLookup(table, ids), Gather(table, cols, axis: -1));
            }
            """);
        var gathers = g.OfOp("gather").ToList();
        Assert.Equal("embedding_lookup", gathers[0].Name);
        Assert.Equal(new[] { 0, 1 }, gathers.Select(x => x.Attrs.GetInt("axis")));
        Assert.Equal("f32[batch, 8]", Shape(gathers[0]));
        Assert.Equal("f32[50, 4, 2]", Shape(gathers[1]));
    }

    [Fact]
    public void OneHotRangeFillAndLikes()
    {
        var g = Entry("""
            static (Tensor, Tensor, Tensor, Tensor, Tensor, Tensor) F([Shape("n", DType = DType.Int32)] Tensor labels, [Shape("n", 2)] Tensor x) =>
                (OneHot(labels, 5, axis: 0, dtype: DType.Float64), Range(2, 11, 3), Range(0.5f, 2f, 0.5f), Fill([x.Shape[0], 3], 2f), ZerosLike(x), OnesLike(labels));
            """);
        var oneHot = g.OfOp("one_hot").Single();
        Assert.Equal(("f64[5, n]", 0, 1.0, 0.0), (Shape(oneHot), oneHot.Attrs.GetInt("axis"), oneHot.Attrs.GetDouble("on"), oneHot.Attrs.GetDouble("off")));
        var ranges = g.Outputs.Skip(1).Take(2).Select(o => o.Node).ToList();
        Assert.Equal(new[] { 2.0, 5, 8 }, ranges[0].Attrs.GetDoubles("value"));
        Assert.Equal(IrDType.Int32, ranges[0].DType);
        Assert.Equal(new[] { 0.5, 1, 1.5 }, ranges[1].Attrs.GetDoubles("value"));
        Assert.Equal(IrDType.Float32, ranges[1].DType);
        Assert.Equal("f32[n, 3]", Shape(g.OfOp("fill").Single()));
        Assert.Equal(new[] { "f32[n, 2]", "i32[n]" }, g.OfOp("broadcast_like").Select(Shape));
    }

    [Fact]
    public void BatchedMatMulBroadcastsItsBatchAxes()
    {
        var g = Entry("""
            static Tensor F([Shape("n", 4, 3)] Tensor x)
            {
                var w = Variable("w", [4, 5], Init.Ones());
                var stacked = Variable("stacked", [2, 1, 6, 5], Init.Ones());
                return MatMul(MatMul(x, w, transposeA: true), stacked, transposeB: true);
            }
            """);
        Assert.Equal(new[] { "f32[n, 3, 5]", "f32[2, n, 3, 6]" }, g.OfOp("matmul").Select(Shape));
    }

    [Fact]
    public void TheTrainStepOfALookupHasASparseRowsGradient()
    {
        var model = Model("""
            [Loss]
            static Tensor Loss([Shape("n", DType = DType.Int32)] Tensor center, [Shape("n", DType = DType.Int32)] Tensor context)
            {
                var table = Variable("emb", [20, 4], Init.RandomUniform(-1f, 1f));
                var dot = ReduceSum(EmbeddingLookup(table, center) * EmbeddingLookup(table, context), [1]);
                return ReduceMean(Square(dot - 1f));
            }
            """);
        var train = GraphCompiler.Compiler.Passes.OptimizerPass.BuildTrainStep(model.Loss!, model.Optimizer);
        // Gradient descent updates only the looked-up rows: the effect takes the table, the
        // learning rate and both lookups' (values, ids) pairs — never a dense [20, 4] gradient.
        var update = train.Effects.Single(e => e.Name == "GradientDescent/update_emb/sparse_gradient_descent");
        Assert.Equal("sparse_gradient_descent", update.OpName);
        Assert.Equal("emb", update.Inputs[0].Name);
        Assert.Equal(6, update.Inputs.Count);
        Assert.Equal("f32[n, 4]", Shape(update.Inputs[2]));
        Assert.Equal("f32[n, 4]", Shape(update.Inputs[4]));
        Assert.Equal(GraphCompiler.Compiler.IR.DType.Int32, update.Inputs[3].DType);
        Assert.Equal(GraphCompiler.Compiler.IR.DType.Int32, update.Inputs[5].DType);
    }
}
