using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Passes;
using GraphCompiler.Compiler.Reference;
using GraphCompiler.Compiler.Tests.IR;

namespace GraphCompiler.Compiler.Tests.Passes;

public class SimplifyTests
{
    [Fact]
    public void ConstantsFold()
    {
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float32, Shape.Of(3));
        var c = b.Mul(b.Constant(2), b.Add(b.Constant(1), b.Constant(3)));
        b.AddOutput("y", b.Mul(x, c));
        var g = Simplify.EliminateDeadCodePass(Simplify.FoldConstantsPass(b.Build()));
        Assert.Equal(new[] { "input", "constant", "mul" }, g.Nodes.Select(n => n.OpName));
        Assert.Equal(8, g.Nodes[1].Attrs.GetDoubles("value")[0]);
    }

    [Fact]
    public void ABroadcastOfASpreadScalarBroadcastsTheScalar()
    {
        // The mean loss's gradient: a scalar spread to [n], reshaped to [n, 1], spread over [n, k].
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float32, Shape.Of(Dim.Sym("n"), Dim.Sym("k")));
        var scalar = b.Input("s", DType.Float32, Shape.Scalar);
        var rows = b.Apply("broadcast_like", new[] { scalar, b.Apply("reduce_sum", new[] { x }, Attrs.Of(("axes", new[] { 1 }), ("keepdims", false))) });
        var column = b.Apply("reshape", new[] { rows }, Attrs.Of(("shape", Shape.Of(Dim.Sym("n"), Dim.Of(1)))));
        b.AddOutput("y", b.Mul(b.Apply("broadcast_like", new[] { column, x }), x));
        var g = Simplify.EliminateDeadCodePass(Simplify.AlgebraicIdentitiesPass(b.Build()));
        var spread = Assert.Single(g.Nodes, n => n.OpName == "broadcast_like");
        Assert.Equal("s", spread.Inputs[0].Name);
        Assert.DoesNotContain(g.Nodes, n => n.OpName == "reshape");
    }

    [Fact]
    public void ABroadcastOfAPerRowValueIsKept()
    {
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float32, Shape.Of(3, 4));
        var perRow = b.Input("r", DType.Float32, Shape.Of(3, 1));
        b.AddOutput("y", b.Mul(b.Apply("broadcast_like", new[] { perRow, x }), x));
        var g = Simplify.AlgebraicIdentitiesPass(b.Build());
        Assert.Equal("r", Assert.Single(g.Nodes, n => n.OpName == "broadcast_like").Inputs[0].Name);
    }

    private static (GraphBuilder B, Node Sum, Node X) GatheredSum()
    {
        var b = new GraphBuilder("t");
        var table = b.Input("table", DType.Float32, Shape.Of(6, 4));
        var ids = b.Input("ids", DType.Int32, Shape.Of(3, 2));
        var w = b.Input("w", DType.Float32, Shape.Of(3, 2));
        var x = b.Input("x", DType.Float32, Shape.Of(3, 4));
        return (b, b.Apply("gather_weighted_sum", new[] { table, ids, w }), x);
    }

    [Fact]
    public void AnAddOfAGatheredSumAccumulatesIntoIt()
    {
        var (b, sum, x) = GatheredSum();
        b.AddOutput("y", b.Add(x, sum));
        var g = Simplify.EliminateDeadCodePass(Simplify.AccumulateIntoGatheredSumsPass(b.Build()));
        Assert.DoesNotContain(g.Nodes, n => n.OpName == "add");
        var fused = Assert.Single(g.Nodes, n => n.OpName == "gather_weighted_sum");
        Assert.Equal("x", fused.Inputs[3].Name);
        var feeds = new Dictionary<string, RefTensor>
        {
            ["table"] = new(DType.Float32, new[] { 6, 4 }, Enumerable.Range(0, 24).Select(i => i * 0.5).ToArray()),
            ["ids"] = new(DType.Int32, new[] { 3, 2 }, new double[] { 5, 0, 2, 2, 1, 4 }),
            ["w"] = new(DType.Float32, new[] { 3, 2 }, new double[] { 1, -2, 0.5, 3, -1, 2 }),
            ["x"] = new(DType.Float32, new[] { 3, 4 }, Enumerable.Range(0, 12).Select(i => 10.0 - i).ToArray()),
        };
        var none = new Dictionary<string, RefTensor>();
        Assert.Equal(Interpreter.Outputs(b.Build(), feeds, none)["y"].Data, Interpreter.Outputs(g, feeds, none)["y"].Data);
    }

    [Fact]
    public void AGatheredSumReadElsewhereIsNotFolded()
    {
        var (b, sum, x) = GatheredSum();
        b.AddOutput("y", b.Add(x, sum));
        b.AddOutput("sum", sum);
        var g = Simplify.AccumulateIntoGatheredSumsPass(b.Build());
        Assert.Single(g.Nodes, n => n.OpName == "add");
        Assert.All(g.Nodes.Where(n => n.OpName == "gather_weighted_sum"), n => Assert.Equal(3, n.Inputs.Count));
    }

    [Fact]
    public void CommonSubexpressionsMerge()
    {
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float32, Shape.Of(3));
        b.AddOutput("y", b.Add(b.Mul(x, x), b.Mul(x, x)));
        var g = Simplify.EliminateCommonSubexpressionsPass(b.Build());
        Assert.Single(g.Nodes, n => n.OpName == "mul");
    }

    [Fact]
    public void DeadCodeIsRemovedButInputsStay()
    {
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float32, Shape.Of(3));
        var unused = b.Input("unused", DType.Float32, Shape.Of(3));
        b.Neg(unused);
        b.AddOutput("y", b.Neg(x));
        var g = Simplify.EliminateDeadCodePass(b.Build());
        Assert.Equal(new[] { "input", "input", "neg" }, g.Nodes.Select(n => n.OpName));
    }

    [Fact]
    public void PipelineKeepsTheTrainStepsResults()
    {
        var train = GraphTextTests.LinearRegressionTrainStep(out _);
        var optimized = PassPipeline.Run(train);
        Assert.True(optimized.Nodes.Count < train.Nodes.Count);
        foreach (var g in new[] { train, optimized })
        {
            var vars = new Dictionary<string, RefTensor> { ["W"] = new(DType.Float32, new[] { 1 }, new[] { 0.3 }), ["b"] = new(DType.Float32, new[] { 1 }, new[] { -0.3 }) };
            var feeds = new Dictionary<string, RefTensor>
            {
                ["x"] = new(DType.Float32, new[] { 4 }, new double[] { 1, 2, 3, 4 }),
                ["y"] = new(DType.Float32, new[] { 4 }, new double[] { 0, -1, -2, -3 }),
                ["learning_rate"] = RefTensor.Scalar(0.01, DType.Float32),
            };
            var loss = Interpreter.Outputs(g, feeds, vars)["loss"].Data[0];
            Assert.Equal(23.66, loss, 4);
            Assert.Equal(0.3 - 0.01 * 52, vars["W"].Data[0], 5);
        }
    }
}
