using GraphCompiler.Compiler.Model;
using GraphCompiler.Generator.Output;
using GraphCompiler.Generator.Tests.Harness;

namespace GraphCompiler.Generator.Tests.Pipeline;

/// <summary>Node and variable locations travel beside the IR text and are re-attached for the compiler stages.</summary>
public class SourceMapTests
{
    [Fact]
    public void NodesAndVariablesGetTheirSourceBack()
    {
        var run = GeneratorHarness.Run(Models.LinearRegression);
        var spec = run.Specs.Single();
        var parsed = ModelDefinition.Parse(spec.DefinitionText!);
        Assert.All(parsed.Entries[0].Graph.Nodes, n => Assert.Null(n.Source));

        var model = SourceMap.Attach(parsed, spec.Sources);
        Assert.Equal(spec.DefinitionText, model.ToText());
        var source = Models.LinearRegression;
        var mul = model.Entries[0].Graph.Nodes.Single(n => n.Name == "mul");
        Assert.Equal("W * x", source.Substring(mul.Source!.Start, mul.Source.Length));
        Assert.Equal((13, 22), (mul.Source.Line, mul.Source.Column)); // 1-based, as people count
        var reduce = model.Entries[0].Graph.Nodes.Single(n => n.Name == "reduce_sum");
        Assert.Equal("ReduceSum(Square(linear - y))", source.Substring(reduce.Source!.Start, reduce.Source.Length));
        var w = model.Variables.Single(v => v.Name == "W");
        Assert.Equal("Variable(\"W\", [1], Init.Constant(0.3f))", source.Substring(w.Source!.Start, w.Source.Length));
        var x = model.Entries[0].Graph.Nodes[0].Source!;
        Assert.Equal("[Shape(\"n\")] Tensor x", source.Substring(x.Start, x.Length));
    }

    [Fact]
    public void DefinitionTextRoundTrips()
    {
        foreach (var source in new[] { Models.LinearRegression, Models.TwoLayerMlp, Models.SharedVariables, Models.TupleReturn })
        {
            var text = GeneratorHarness.Run(source).ModelText;
            Assert.Equal(text, ModelDefinition.Parse(text).ToText());
        }
    }
}
