using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Passes;
using GraphCompiler.Compiler.Reference;
using GraphCompiler.Compiler.Tests.IR;

namespace GraphCompiler.Compiler.Tests.Passes;

public class LoopAutodiffTests
{
    private static readonly Dictionary<string, RefTensor> NoVariables = new();

    private static Graph GradientGraph()
    {
        var (b, loss, wrt, _) = TanhRnn.Build();
        var grads = Autodiff.Gradients(b, loss, wrt);
        for (int i = 0; i < wrt.Length; i++) b.AddOutput("d" + wrt[i].Attrs.GetString("name"), grads[i] ?? throw new Xunit.Sdk.XunitException($"no gradient for {wrt[i].Name}"));
        b.AddOutput("loss", loss);
        return b.Build();
    }

    [Theory]
    [InlineData(2, 4)]
    [InlineData(1, 1)]
    [InlineData(3, 6)]
    [InlineData(2, 0)]
    public void GradientsThroughTheLoopMatchFiniteDifferences(int batch, int time)
    {
        var g = GradientGraph();
        var feeds = TanhRnn.Feeds(batch, time, seed: 100 + time);
        var analytic = Interpreter.Outputs(g, feeds, NoVariables);
        const double eps = 1e-6;
        foreach (var name in new[] { "x", "h0", "W", "U", "bias" })
        {
            var x = feeds[name];
            Assert.Equal(x.Shape, analytic["d" + name].Shape);
            for (int e = 0; e < x.Data.Length; e++)
            {
                double saved = x.Data[e];
                x.Data[e] = saved + eps;
                double up = Interpreter.Outputs(g, feeds, NoVariables)["loss"].Data[0];
                x.Data[e] = saved - eps;
                double down = Interpreter.Outputs(g, feeds, NoVariables)["loss"].Data[0];
                x.Data[e] = saved;
                double numeric = (up - down) / (2 * eps);
                Assert.True(Math.Abs(numeric - analytic["d" + name].Data[e]) <= 1e-7 * Math.Max(1, Math.Abs(numeric)),
                    $"d{name}[{e}]: analytic {analytic["d" + name].Data[e]}, numeric {numeric}");
            }
        }
    }

    [Fact]
    public void TheReverseLoopReadsTheActivationsSavedByTheForwardLoop()
    {
        var g = GradientGraph();
        var loops = g.Nodes.Where(n => n.Op is LoopOp).ToList();
        var saving = Assert.Single(loops, n => ((LoopOp)n.Op).Primal is not null);
        var reverse = Assert.Single(loops, n => ((LoopOp)n.Op).Reverse);
        // The forward body's tanh result is saved (tanh's gradient reads it), stacked over time.
        var savingOp = (LoopOp)saving.Op;
        Assert.True(savingOp.Outputs > ((LoopOp)savingOp.Primal!).Outputs);
        Assert.Contains(reverse.Inputs, i => i.OpName == "loop_output" && i.Inputs[0] == saving && i.Shape.ToString() == "[batch, time, 4]");
        // The reverse body recomputes nothing of the forward step: it has no tanh.
        Assert.DoesNotContain(((LoopOp)reverse.Op).Body.Nodes, n => n.OpName == "tanh");
    }

    [Fact]
    public void TheWeightGradientsAreOneProductEachAfterTheReverseLoop()
    {
        var g = GradientGraph();
        var reverse = (LoopOp)Assert.Single(g.Nodes, n => n.Op is LoopOp { Reverse: true }).Op;
        // No per-step Aᵀ·B in the reverse body; the loop carries dh and the bias's accumulator only (a column sum, not a product).
        Assert.DoesNotContain(reverse.Body.Nodes, n => n.OpName == "matmul" && n.Attrs.GetBool("transpose_a", false));
        Assert.Equal(2, reverse.States);
        var products = g.Nodes.Where(n => n.OpName == "matmul" && GraphCompiler.Compiler.Ops.MatMul.ContractsBatch(n.Attrs)).ToList();
        Assert.Equal(2, products.Count);
        // dW reads the input sequence itself; dU the saved states h_{t-1}, both [batch, time, n] stacks.
        Assert.Contains(products, p => p.Inputs[0].Name == "x" && p.Shape.ToString() == "[3, 4]");
        Assert.Contains(products, p => p.Inputs[0].OpName == "loop_output" && p.Shape.ToString() == "[4, 4]");
    }

    [Fact]
    public void AfterTheSimplificationPassesOneForwardLoopRemainsAndGradientsAreUnchanged()
    {
        var g = GradientGraph();
        var simplified = PassPipeline.Run(g);
        Assert.Single(simplified.Nodes, n => n.Op is LoopOp { Reverse: false });
        Assert.Single(simplified.Nodes, n => n.Op is LoopOp { Reverse: true });
        var feeds = TanhRnn.Feeds(2, 5, seed: 3);
        var before = Interpreter.Outputs(g, feeds, NoVariables);
        var after = Interpreter.Outputs(simplified, feeds, NoVariables);
        foreach (var o in g.Outputs)
            Assert.Equal(before[o.Name].Data, after[o.Name].Data, new LoopTests.Tolerance(1e-12));
    }
}
