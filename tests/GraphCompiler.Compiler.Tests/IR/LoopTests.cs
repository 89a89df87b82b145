using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Reference;

namespace GraphCompiler.Compiler.Tests.IR;

public class LoopTests
{
    private static readonly Dictionary<string, RefTensor> NoVariables = new();

    [Theory]
    [InlineData(2, 5)]
    [InlineData(1, 1)]
    [InlineData(3, 0)]
    public void TheInterpreterRunsTheRecurrenceOverTheTimeLengthOfTheCall(int batch, int time)
    {
        var (b, _, _, loop) = TanhRnn.Build();
        b.AddOutput("outputs", loop.Outputs[0]);
        b.AddOutput("final", loop.FinalStates[0]);
        var g = b.Build();
        var feeds = TanhRnn.Feeds(batch, time, seed: 7);
        var r = Interpreter.Outputs(g, feeds, NoVariables);
        var (outs, final) = TanhRnn.ByHand(feeds);
        Assert.Equal(new[] { batch, time, TanhRnn.Hidden }, r["outputs"].Shape);
        Assert.Equal(outs, r["outputs"].Data, new Tolerance(1e-12));
        Assert.Equal(final, r["final"].Data, new Tolerance(1e-12));
    }

    [Fact]
    public void OneGraphRunsDifferentTimeLengthsBetweenCalls()
    {
        var (b, _, _, loop) = TanhRnn.Build();
        b.AddOutput("final", loop.FinalStates[0]);
        var g = b.Build();
        foreach (var time in new[] { 4, 2, 7 })
        {
            var feeds = TanhRnn.Feeds(2, time, seed: time);
            Assert.Equal(TanhRnn.ByHand(feeds).Final, Interpreter.Outputs(g, feeds, NoVariables)["final"].Data, new Tolerance(1e-12));
        }
    }

    [Fact]
    public void ProjectionsHaveTheStateShapeAndTheStackedShape()
    {
        var (_, _, _, loop) = TanhRnn.Build();
        Assert.Equal("[batch, 4]", loop.FinalStates[0].Shape.ToString());
        Assert.Equal("[batch, time, 4]", loop.Outputs[0].Shape.ToString());
        Assert.Equal(Shape.Scalar, loop.Loop.Shape);
    }

    [Fact]
    public void AStateWhoseShapeChangesInTheBodyIsAShapeError()
    {
        var b = new GraphBuilder("bad");
        var x = b.Input("x", DType.Float64, Shape.Of(Dim.Sym("batch"), Dim.Sym("time"), 3));
        var h0 = b.Input("h0", DType.Float64, Shape.Of(Dim.Sym("batch"), 4));
        var loop = new LoopBuilder(b);
        loop.State(h0);
        var xt = loop.Sequence(x);
        var e = Assert.Throws<ShapeException>(() => loop.Finish(new[] { xt }, Array.Empty<Node>()));
        Assert.Contains("loop state 0 enters as f64[batch, 4] but the body makes it f64[batch, 3]", e.Message);
    }

    [Fact]
    public void TheTextFormRoundTripsALoopAndItsBody()
    {
        var (b, loss, _, _) = TanhRnn.Build();
        b.AddOutput("loss", loss);
        var g = b.Build();
        var text = GraphText.Write(g);
        var parsed = GraphText.Parse(text);
        Assert.Equal(text, GraphText.Write(parsed));
        var feeds = TanhRnn.Feeds(2, 3, seed: 1);
        Assert.Equal(Interpreter.Outputs(g, feeds, NoVariables)["loss"].Data, Interpreter.Outputs(parsed, feeds, NoVariables)["loss"].Data);
    }

    internal sealed class Tolerance(double eps) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= eps * Math.Max(1, Math.Abs(b));

        public int GetHashCode(double obj) => 0;
    }
}
