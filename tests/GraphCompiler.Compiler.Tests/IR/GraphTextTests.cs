using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Model;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Passes;

namespace GraphCompiler.Compiler.Tests.IR;

public class GraphTextTests
{
    internal static Graph LinearRegressionTrainStep(out ModelDefinition model)
    {
        var vars = new List<VariableInfo>
        {
            new("W", DType.Float32, Shape.Of(1), InitSpec.Constant(0.3), true),
            new("b", DType.Float32, Shape.Of(1), InitSpec.Constant(-0.3), true),
        };
        var b = new GraphBuilder("Loss");
        var n = Dim.Sym("n");
        var x = b.Input("x", DType.Float32, Shape.Of(n));
        var y = b.Input("y", DType.Float32, Shape.Of(n));
        var linear = b.Add(b.Mul(b.Variable(vars[0]), x), b.Variable(vars[1]));
        var loss = b.Apply("reduce_sum", new[] { b.Apply("square", new[] { b.Sub(linear, y) }) }, Attrs.Of(("axes", new[] { 0 }), ("keepdims", false)));
        b.AddOutput("result", loss);
        var p = new[] { new ModelParameter("x", DType.Float32, Shape.Of(n)), new ModelParameter("y", DType.Float32, Shape.Of(n)) };
        model = new ModelDefinition("Demo", "LinearModel", "public", "gradient_descent", vars, new[] { new EntryPoint("Loss", true, p, b.Build()) });
        return OptimizerPass.BuildTrainStep(model.Entries[0], "gradient_descent");
    }

    [Fact]
    public void TextRoundTripsExactly()
    {
        var g = LinearRegressionTrainStep(out _);
        var text = GraphText.Write(g);
        var back = GraphText.Parse(text);
        Assert.Equal(text, GraphText.Write(back));
        Assert.Equal(g.Nodes.Count, back.Nodes.Count);
        Assert.Equal(g.Effects.Count, back.Effects.Count);
    }

    [Fact]
    public void AttributesOfEveryKindRoundTrip()
    {
        var b = new GraphBuilder("attrs");
        var x = b.Input("x", DType.Float64, Shape.Of(2, 3));
        b.AddOutput("r", b.Apply("reshape", new[] { x }, Attrs.Of(("shape", Shape.Of(3, 2)))));
        b.AddOutput("c", b.Constant(new[] { 1.5, -2, 1e-30, 3 }, Shape.Of(2, 2), DType.Float64));
        b.AddOutput("t", b.Apply("transpose", new[] { x }, Attrs.Of(("perm", new[] { 1, 0 }))));
        var text = GraphText.Write(b.Build());
        Assert.Equal(text, GraphText.Write(GraphText.Parse(text)));
        Assert.Contains("value=d[1.5,-2.0,1E-30,3.0]", text);
    }

    [Fact]
    public void ModelDefinitionRoundTripsAndComparesByText()
    {
        LinearRegressionTrainStep(out var model);
        var back = ModelDefinition.Parse(model.ToText());
        Assert.Equal(model, back);
        Assert.Equal(new[] { "W", "b" }, back.Variables.Select(v => v.Name));
        Assert.Equal("[n]", back.Entries[0].Parameters[0].Shape.ToString());
        Assert.True(back.Entries[0].IsLoss);
    }

    [Fact]
    public void MalformedTextIsRefusedWithTheColumn()
    {
        var e = Assert.Throws<FormatException>(() => GraphText.Parse("graph g\n%0 = input( : f32[] \"x\""));
        Assert.Contains("expected", e.Message);
    }
}
