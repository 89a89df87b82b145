using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Passes;
using GraphCompiler.Compiler.Reference;

namespace GraphCompiler.Compiler.Tests.Ops;

/// <summary>
/// One table checks every differentiable op: for each row, the autodiff gradient of
/// Σ(op(inputs)·r) for a random r equals central finite differences in double precision.
/// Adding an op adds a row here.
/// </summary>
public class OpTableTests
{
    /// <summary>
    /// A row: input shapes, the op applied to them, the value range, which inputs are differentiated (all by
    /// default; "like" inputs only give a shape), and whether the graph runs as the train step (ops whose value
    /// depends on the entry point are differentiated only there).
    /// </summary>
    public sealed record Case(string Name, int[][] InputShapes, Func<GraphBuilder, Node[], Node> Build, double Low = -2, double High = 2, int[]? Wrt = null, bool Training = false);

    private static Attrs Reduce(int[] axes, bool keep) => Attrs.Of(("axes", axes), ("keepdims", keep));

    public static readonly Case[] Cases =
    {
        new("add", new[] { new[] { 3, 4 }, new[] { 3, 4 } }, (b, x) => b.Add(x[0], x[1])),
        new("add_broadcast_row", new[] { new[] { 3, 4 }, new[] { 4 } }, (b, x) => b.Add(x[0], x[1])),
        new("add_broadcast_size1", new[] { new[] { 1, 5 }, new[] { 3, 1 } }, (b, x) => b.Add(x[0], x[1])),
        new("sub", new[] { new[] { 2, 3 }, new[] { 1, 3 } }, (b, x) => b.Sub(x[0], x[1])),
        new("mul", new[] { new[] { 5 }, new[] { 5 } }, (b, x) => b.Mul(x[0], x[1])),
        new("mul_scalar", new[] { new[] { 2, 3 }, Array.Empty<int>() }, (b, x) => b.Mul(x[0], x[1])),
        new("mul_same_input_twice", new[] { new[] { 4 } }, (b, x) => b.Mul(x[0], x[0])),
        new("div", new[] { new[] { 3, 2 }, new[] { 2 } }, (b, x) => b.Div(x[0], x[1]), 0.5, 2),
        new("neg", new[] { new[] { 7 } }, (b, x) => b.Neg(x[0])),
        new("square", new[] { new[] { 2, 3, 1 } }, (b, x) => b.Apply("square", x)),
        new("reduce_sum_all", new[] { new[] { 3, 4 } }, (b, x) => b.Apply("reduce_sum", x, Reduce(new[] { 0, 1 }, false))),
        new("reduce_sum_axis0_keepdims", new[] { new[] { 3, 4 } }, (b, x) => b.Apply("reduce_sum", x, Reduce(new[] { 0 }, true))),
        new("reduce_sum_axis_1_3d", new[] { new[] { 2, 3, 4 } }, (b, x) => b.Apply("reduce_sum", x, Reduce(new[] { 1 }, false))),
        new("reduce_sum_noncontiguous", new[] { new[] { 2, 3, 4 } }, (b, x) => b.Apply("reduce_sum", x, Reduce(new[] { 0, 2 }, false))),
        new("sum_to_like", new[] { new[] { 3, 4 }, new[] { 1, 4 } }, (b, x) => b.Apply("sum_to_like", x), Wrt: new[] { 0 }),
        new("broadcast_like", new[] { new[] { 4 }, new[] { 3, 4 } }, (b, x) => b.Apply("broadcast_like", x), Wrt: new[] { 0 }),
        new("reshape", new[] { new[] { 2, 6 } }, (b, x) => b.Apply("reshape", x, Attrs.Of(("shape", Shape.Of(3, 4))))),
        new("transpose_2d", new[] { new[] { 2, 5 } }, (b, x) => b.Apply("transpose", x, Attrs.Of(("perm", new[] { 1, 0 })))),
        new("transpose_3d", new[] { new[] { 2, 3, 4 } }, (b, x) => b.Apply("transpose", x, Attrs.Of(("perm", new[] { 2, 0, 1 })))),
        new("matmul", new[] { new[] { 3, 4 }, new[] { 4, 2 } }, (b, x) => b.Apply("matmul", x, MatMul.Flags(false, false))),
        new("matmul_ta", new[] { new[] { 4, 3 }, new[] { 4, 2 } }, (b, x) => b.Apply("matmul", x, MatMul.Flags(true, false))),
        new("matmul_tb", new[] { new[] { 3, 4 }, new[] { 2, 4 } }, (b, x) => b.Apply("matmul", x, MatMul.Flags(false, true))),
        new("matmul_ta_tb", new[] { new[] { 4, 3 }, new[] { 2, 4 } }, (b, x) => b.Apply("matmul", x, MatMul.Flags(true, true))),
        // Gathered rows: table [5, 3], ids with a repeat (rows accumulate), x / weights of the batch.
        new("gather_dot_rank1_ids", new[] { new[] { 5, 3 }, new[] { 4, 3 } }, (b, x) => b.Apply("gather_dot", new[] { x[0], Ints(b, new[] { 4, 0, 4, 2 }, 4), x[1] })),
        new("gather_dot_rank2_ids", new[] { new[] { 5, 3 }, new[] { 2, 3 } }, (b, x) => b.Apply("gather_dot", new[] { x[0], Ints(b, new[] { 1, 3, 1, 0, 4, 0 }, 2, 3), x[1] })),
        new("gather_dot_width1", new[] { new[] { 3, 1 }, new[] { 3, 1 } }, (b, x) => b.Apply("gather_dot", new[] { x[0], Ints(b, new[] { 2, 2, 0 }, 3), x[1] })),
        new("gather_weighted_sum", new[] { new[] { 5, 3 }, new[] { 2, 3 } }, (b, x) => b.Apply("gather_weighted_sum", new[] { x[0], Ints(b, new[] { 1, 3, 1, 0, 4, 0 }, 2, 3), x[1] })),
        new("gather_weighted_sum_rank1_ids", new[] { new[] { 4, 2 }, new[] { 3 } }, (b, x) => b.Apply("gather_weighted_sum", new[] { x[0], Ints(b, new[] { 3, 3, 1 }, 3), x[1] })),
        new("row_outer_rank1_coef", new[] { new[] { 3 }, new[] { 3, 4 } }, (b, x) => b.Apply("row_outer", x)),
        new("row_outer_rank2_coef", new[] { new[] { 2, 3 }, new[] { 2, 5 } }, (b, x) => b.Apply("row_outer", x)),
        // Two batch axes ([groups, size], as word2vec's grouped pairs): each batch row owns the ids below it.
        new("gather_dot_two_batch_axes", new[] { new[] { 5, 3 }, new[] { 2, 3, 3 } }, (b, x) => b.Apply("gather_dot", new[] { x[0], Ints(b, new[] { 1, 3, 1, 0, 4, 0 }, 2, 3), x[1] })),
        new("gather_dot_two_batch_axes_rank3_ids", new[] { new[] { 5, 2 }, new[] { 2, 2, 2 } }, (b, x) => b.Apply("gather_dot", new[] { x[0], Ints(b, new[] { 1, 3, 1, 0, 4, 0, 2, 2 }, 2, 2, 2), x[1] })),
        new("gather_weighted_sum_two_batch_axes", new[] { new[] { 5, 3 }, new[] { 2, 2, 2 } }, (b, x) => b.Apply("gather_weighted_sum", new[] { x[0], Ints(b, new[] { 1, 3, 1, 0, 4, 0, 2, 2 }, 2, 2, 2), x[1] }, Attrs.Of(("batch_dims", 2)))),
        new("gather_weighted_sum_with_addend", new[] { new[] { 5, 3 }, new[] { 2, 3 }, new[] { 2, 3 } }, (b, x) => b.Apply("gather_weighted_sum", new[] { x[0], Ints(b, new[] { 1, 3, 1, 0, 4, 0 }, 2, 3), x[1], x[2] })),
        new("row_outer_two_batch_axes", new[] { new[] { 2, 3, 2 }, new[] { 2, 3, 4 } }, (b, x) => b.Apply("row_outer", x)),
        new("matmul_size1", new[] { new[] { 1, 1 }, new[] { 1, 3 } }, (b, x) => b.Apply("matmul", x, MatMul.Flags(false, false))),
        // A batch times a shared matrix: the shared one's gradient contracts the batch inside one product.
        new("matmul_batch_shared_b", new[] { new[] { 2, 3, 4 }, new[] { 4, 5 } }, (b, x) => b.Apply("matmul", x, MatMul.Flags(false, false))),
        new("matmul_batch1_shared_b_ta", new[] { new[] { 1, 4, 3 }, new[] { 4, 5 } }, (b, x) => b.Apply("matmul", x, MatMul.Flags(true, false))),
        new("matmul_batch_shared_b_tb", new[] { new[] { 3, 3, 4 }, new[] { 5, 4 } }, (b, x) => b.Apply("matmul", x, MatMul.Flags(false, true))),
        new("matmul_batch_shared_b_ta_tb", new[] { new[] { 2, 4, 3 }, new[] { 5, 4 } }, (b, x) => b.Apply("matmul", x, MatMul.Flags(true, true))),
        new("matmul_two_batch_axes_shared_b", new[] { new[] { 2, 3, 1, 5 }, new[] { 5, 3 } }, (b, x) => b.Apply("matmul", x, MatMul.Flags(false, false))),
        new("matmul_shared_a", new[] { new[] { 3, 4 }, new[] { 3, 4, 5 } }, (b, x) => b.Apply("matmul", x, MatMul.Flags(false, false))),
        new("matmul_contract_batch", new[] { new[] { 3, 4, 3 }, new[] { 3, 4, 5 } }, (b, x) => b.Apply("matmul", x, MatMul.Flags(true, false).With("contract_batch", true))),
        new("matmul_contract_batch_tb", new[] { new[] { 2, 3, 4 }, new[] { 2, 5, 4 } }, (b, x) => b.Apply("matmul", x, MatMul.Flags(false, true).With("contract_batch", true))),
    };

    public static IEnumerable<object[]> CaseNames => Cases.Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void GradientMatchesFiniteDifferences(string name) => CheckGradient(Cases.Single(k => k.Name == name));

    /// <summary>The gradient check of one row; other op tables (one file per op family) call it too.</summary>
    internal static void CheckGradient(Case c)
    {
        var name = c.Name;
        var rng = new System.Random(name.GetHashCode(StringComparison.Ordinal) & 0x7fffffff);
        var b = new GraphBuilder("check");
        var xs = c.InputShapes.Select((s, i) => b.Input("x" + i, DType.Float64, Shape.Of(s))).ToArray();
        var y = c.Build(b, xs);
        var r = b.Input("r", DType.Float64, y.Shape);
        var loss = b.Apply("reduce_sum", new[] { b.Mul(y, r) }, Reduce(Enumerable.Range(0, y.Shape.Rank).ToArray(), false));
        var distinct = (c.Wrt is null ? xs : c.Wrt.Select(i => xs[i])).Distinct().ToList();
        var grads = Autodiff.Gradients(b, loss, distinct);
        for (int i = 0; i < grads.Length; i++) b.AddOutput("grad" + i, grads[i] ?? throw new Xunit.Sdk.XunitException($"no gradient for input {i}"));
        b.AddOutput("loss", loss);
        var g = b.Build();

        var feeds = new Dictionary<string, RefTensor>();
        for (int i = 0; i < xs.Length; i++)
            feeds["x" + i] = Random(rng, c.InputShapes[i], c.Low, c.High);
        feeds["r"] = Random(rng, y.Shape.Select(d => d.Size).ToArray(), -1, 1);
        var run = new RunContext(c.Training, 0, 0);
        var outputs = Interpreter.Outputs(g, feeds, new Dictionary<string, RefTensor>(), run);

        const double eps = 1e-6;
        for (int i = 0; i < distinct.Count; i++)
        {
            var key = distinct[i].Attrs.GetString("name");
            var x = feeds[key];
            var analytic = outputs["grad" + i];
            Assert.Equal(x.Shape, analytic.Shape);
            for (int e = 0; e < x.Data.Length; e++)
            {
                double saved = x.Data[e];
                x.Data[e] = saved + eps;
                double up = Interpreter.Outputs(g, feeds, new Dictionary<string, RefTensor>(), run)["loss"].Data[0];
                x.Data[e] = saved - eps;
                double down = Interpreter.Outputs(g, feeds, new Dictionary<string, RefTensor>(), run)["loss"].Data[0];
                x.Data[e] = saved;
                double numeric = (up - down) / (2 * eps);
                Assert.True(Math.Abs(numeric - analytic.Data[e]) <= 1e-6 + 1e-5 * Math.Abs(numeric),
                    $"{name}: d loss / d {key}[{e}] is {analytic.Data[e]} by autodiff but {numeric} by finite differences");
            }
        }
    }

    /// <summary>Every op table, so that coverage is checked across all of them.</summary>
    private static Node Ints(GraphBuilder b, int[] values, params int[] shape) =>
        b.Constant(values.Select(v => (double)v).ToArray(), Shape.Of(shape), DType.Int32);

    public static IEnumerable<Case> AllTables => Cases.Concat(Shapes.ShapeOpTableTests.Cases).Concat(MathOpTableTests.Cases).Concat(Sampling.SamplingOpTableTests.Cases)
        .Concat(Convolution.ConvolutionOpTableTests.Cases).Concat(Loops.LoopOpTableTests.Cases);

    [Fact]
    public void EveryRegisteredOpWithAGradientHasARow()
    {
        var covered = new HashSet<string>();
        foreach (var c in AllTables)
        {
            var b = new GraphBuilder("probe");
            var xs = c.InputShapes.Select((s, i) => b.Input("x" + i, DType.Float64, Shape.Of(s))).ToArray();
            covered.Add(c.Build(b, xs).OpName);
        }
        // element_count and stop_gradient have a zero gradient by definition, which finite differences
        // of their (non-constant) values cannot confirm; their own tests cover them.
        var missing = OpRegistry.All.Where(o => o.HasGradient && o.Name is not ("element_count" or "stop_gradient") && !covered.Contains(o.Name)).Select(o => o.Name).ToList();
        Assert.True(missing.Count == 0, "ops with a gradient but no row in the op table: " + string.Join(", ", missing));
    }

    internal static RefTensor Random(System.Random rng, int[] shape, double low, double high)
    {
        var data = new double[RefTensor.Count(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = low + (high - low) * rng.NextDouble();
        return new RefTensor(DType.Float64, shape, data);
    }
}
