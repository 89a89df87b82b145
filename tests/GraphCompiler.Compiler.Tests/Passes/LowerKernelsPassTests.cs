using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Ops.Composites;
using GraphCompiler.Compiler.Passes;

namespace GraphCompiler.Compiler.Tests.Passes;

/// <summary>The kernel descriptions of representative models, checked as data (no generated text).</summary>
public class LowerKernelsPassTests
{
    private static readonly Attrs LastAxis = Attrs.Of(("axes", new[] { 1 }), ("keepdims", false));

    private static T Single<T>(GraphBuilder b) where T : KernelDescription =>
        Assert.IsType<T>(Assert.Single(LowerKernelsPass.Run(Fusion.Plan(b.Build()))));

    [Fact]
    public void AFlatChainIsOneLoopOfTemplatesOverContiguousOperandsAndLiterals()
    {
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float32, Shape.Of(Dim.Sym("n")));
        var one = b.Constant(1);
        var y = b.Apply("exp", new[] { b.Add(b.Mul(x, x), one) });
        b.AddOutput("y", y);
        var k = Single<ElementwiseKernel>(b);
        Assert.Equal(IterationKind.Flat, k.Space.Kind);
        Assert.Equal(new[] { (x, IndexMap.Contiguous), (one, IndexMap.Literal) }, k.Operands.Select(o => (o.Value, o.Map)));
        Assert.Equal(1.0, k.Operands[1].Literal);
        Assert.Equal(new[] { x }, k.Buffers.Select(o => o.Value));
        var arg0 = ScalarExpr.Arg(0);
        Assert.Equal(new[] { arg0 * ScalarExpr.Arg(1), arg0 + ScalarExpr.Arg(1), ScalarExpr.Call(ScalarFunction.Exp, DType.Float32, arg0) }, k.Body.Select(s => s.Template));
        Assert.Equal(new[] { x, x }, k.Body[0].Args);
        Assert.Equal(new[] { y }, k.Outputs);
        Assert.Null(k.RowReduction);
        Assert.Equal(new[] { y }, k.InPlaceOutputs);
    }

    [Fact]
    public void BroadcastOperandsGetTheirIndexMapsAndMakeTheLoopPerRow()
    {
        var b = new GraphBuilder("t");
        var n = Dim.Sym("n");
        var x = b.Input("x", DType.Float32, Shape.Of(n, 4));
        var bias = b.Input("bias", DType.Float32, Shape.Of(4));
        var column = b.Input("column", DType.Float32, Shape.Of(n, 1));
        var scale = b.Input("scale", DType.Float32, Shape.Of(1));
        b.AddOutput("y", b.Mul(b.Sub(b.Add(x, bias), column), scale));
        var k = Single<ElementwiseKernel>(b);
        Assert.Equal(IterationKind.PerRow, k.Space.Kind);
        Assert.Equal(Shape.Of(n), k.Space.Rows);
        Assert.Equal(Dim.Of(4), k.Space.Inner);
        Assert.Equal(new[] { IndexMap.Contiguous, IndexMap.RowBroadcast, IndexMap.ColumnBroadcast, IndexMap.Scalar }, k.Operands.Select(o => o.Map));

        var g = new GraphBuilder("t");
        var cube = g.Input("cube", DType.Float32, Shape.Of(2, 3, 4));
        var plane = g.Input("plane", DType.Float32, Shape.Of(2, 1, 4));
        g.AddOutput("y", g.Add(cube, plane));
        Assert.Equal(IndexMap.Strided, Single<ElementwiseKernel>(g).Operands[1].Map);
    }

    [Fact]
    public void ALastAxisSumTailIsASumFoldStoredPerRow()
    {
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float32, Shape.Of(Dim.Sym("n"), 5));
        var e = b.Apply("exp", new[] { x });
        var sums = b.Apply("reduce_sum", new[] { e }, LastAxis);
        b.AddOutput("sums", sums);
        var k = Single<ElementwiseKernel>(b);
        Assert.Equal(IterationKind.PerRow, k.Space.Kind);
        Assert.Equal(new KernelReduction(sums, e, ReductionFold.Sum), k.RowReduction);
        Assert.DoesNotContain(k.Body, s => s.Result == sums);
    }

    [Fact]
    public void ASoftmaxIsARowKernelOfThreePassesWithItsFolds()
    {
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float32, Shape.Of(Dim.Sym("n"), 17));
        var y = MathComposites.Softmax(b, x, -1);
        b.AddOutput("y", y);
        var k = Single<RowKernel>(b);
        Assert.Equal(IterationKind.PerRow, k.Space.Kind);
        Assert.Equal(new[] { (x, IndexMap.Contiguous) }, k.Operands.Select(o => (o.Value, o.Map)));
        Assert.Equal(3, k.Passes.Count);
        Assert.Equal(ReductionFold.Max, Assert.Single(k.Passes[0].Reductions).Fold);
        Assert.Equal(ReductionFold.Sum, Assert.Single(k.Passes[1].Reductions).Fold);
        Assert.Empty(k.Passes[2].Reductions);
        Assert.Equal(new[] { y }, k.Passes[2].Stored);
        Assert.Equal(RowRole.Element, k.RoleOf(y));
        // Stored in the last pass, after every read of x: it may take x's storage.
        Assert.Equal(new[] { y }, k.InPlaceOutputs);
        Assert.All(k.Members.Where(m => k.RoleOf(m) != RowRole.Reduce), m => Assert.True(k.Statements.ContainsKey(m)));
    }

    [Fact]
    public void GatheredRowsAreALibraryCallPerGatheredRow()
    {
        var b = new GraphBuilder("t");
        var table = b.Input("table", DType.Float32, Shape.Of(10, 4));
        var ids = b.Input("ids", DType.Int32, Shape.Of(3, 2));
        var rows = b.Input("rows", DType.Float32, Shape.Of(3, 4));
        var dots = b.Apply("gather_dot", new[] { table, ids, rows });
        b.AddOutput("y", dots);
        var k = Single<LibraryCall>(b);
        Assert.Same(dots, k.Node);
        Assert.Equal(IterationKind.PerGatheredRow, k.Space.Kind);
        Assert.Equal(new[] { IndexMap.Gathered, IndexMap.Contiguous, IndexMap.Contiguous }, k.Operands.Select(o => o.Map));
        Assert.Empty(k.InPlaceOutputs);
    }

    [Fact]
    public void ADenseLayerIsAGemmWithABiasAndReluEpilogue()
    {
        var b = new GraphBuilder("t");
        var (x, w, bias, product) = Layer(b, Dim.Sym("n"));
        var relu = b.Apply("relu", new[] { b.Add(product, bias) });
        b.AddOutput("y", relu);
        var k = Single<GemmCall>(b);
        Assert.Equal((product, x, w, bias, true, relu), (k.Product, k.A, k.B, k.Bias, k.Relu, k.Result));
        Assert.False(k.TransposeA || k.TransposeB);
        Assert.Null(k.ColumnSums);
        Assert.Equal(IterationKind.Library, k.Space.Kind);
    }

    [Fact]
    public void ABiasGradientIsAGemmThatSumsTheColumnsOfB()
    {
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float32, Shape.Of(5, 4));
        var dy = b.Input("dy", DType.Float32, Shape.Of(5, 3));
        var like = b.Input("like", DType.Float32, Shape.Of(3));
        var dw = b.Apply("matmul", new[] { x, dy }, MatMul.Flags(true, false));
        var db = b.Apply("sum_to_like", new[] { dy, like });
        b.AddOutput("dw", dw);
        b.AddOutput("db", db);
        var k = Single<GemmCall>(b);
        Assert.Equal((dw, db, dw), (k.Product, k.ColumnSums, k.Result));
        Assert.True(k.TransposeA);
        Assert.Null(k.Bias);
        Assert.Equal(new[] { dw, db }, k.Outputs);
    }

    [Fact]
    public void WithoutGemmEpiloguesInTheCapabilitiesTheBiasAddStaysElementwise()
    {
        var b = new GraphBuilder("t");
        var (_, _, bias, product) = Layer(b, Dim.Of(2));
        b.AddOutput("y", b.Add(product, bias));
        var kernels = LowerKernelsPass.Run(Fusion.Plan(b.Build(), new NoGemmFusion()));
        Assert.Collection(kernels,
            k => Assert.Null(Assert.IsType<GemmCall>(k).Bias),
            k => Assert.Equal(IndexMap.RowBroadcast, Assert.IsType<ElementwiseKernel>(k).Operands[1].Map));
    }

    /// <summary>A dense layer's inputs x [rows, 4], w [4, 3], bias [3] and the product x·w.</summary>
    private static (Node X, Node W, Node Bias, Node Product) Layer(GraphBuilder b, Dim rows)
    {
        var x = b.Input("x", DType.Float32, Shape.Of(rows, Dim.Of(4)));
        var w = b.Input("w", DType.Float32, Shape.Of(4, 3));
        return (x, w, b.Input("bias", DType.Float32, Shape.Of(3)), b.Apply("matmul", new[] { x, w }, MatMul.Flags(false, false)));
    }

    /// <summary>A back end whose GEMM fuses nothing.</summary>
    private sealed class NoGemmFusion : BackendCapabilities
    {
        public override bool GemmTakesEpilogue(Node product) => false;

        public override bool IsBiasEpilogue(Node node) => false;

        public override bool IsActivationEpilogue(Node node) => false;

        public override bool GemmTakesColumnSums(Node product) => false;
    }
}
