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
        string Text(string? graph, string name) =>
            spec.Sources.Single(s => s.Graph == graph && s.Name == name).Location.Resolve(spec.Anchors) is var l ? source.Substring(l.Span.Start, l.Span.Length) : "";
        Assert.Equal("W * x", Text("Loss", "mul"));
        Assert.Equal("ReduceSum(Square(linear - y))", Text("Loss", "reduce_sum"));
        Assert.Equal("Variable(\"W\", [1], Init.Constant(0.3f))", Text(null, "W"));
        Assert.Equal("[Shape(\"n\")] Tensor x", Text("Loss", model.Entries[0].Graph.Nodes[0].Name));
        var mul = spec.Sources.Single(s => s.Graph == "Loss" && s.Name == "mul").Location.Resolve(spec.Anchors);
        Assert.Equal((12, 21), (mul.LineSpan.Start.Line, mul.LineSpan.Start.Character)); // 0-based, as Roslyn counts

        // The compiler sees each node's location relative to its method (the file names the anchor).
        var attached = model.Entries[0].Graph.Nodes.Single(n => n.Name == "mul").Source!;
        var relative = spec.Sources.Single(s => s.Graph == "Loss" && s.Name == "mul").Location;
        Assert.Equal(SourceMap.ToSpan(relative), attached);
        Assert.Same(relative, SourceMap.ToRelative(attached, spec.Sources));
    }

    [Fact]
    public void LocationsAreRelativeToTheirMethod()
    {
        var spec = GeneratorHarness.Run(Models.LinearRegression).Specs.Single();
        var shifted = GeneratorHarness.Run(Models.LinearRegression.Replace("[Model", "// a comment\n// and another\n[Model")).Specs.Single();
        Assert.Equal(spec.Sources, shifted.Sources);
        Assert.Equal(spec.ToCompileInput(), shifted.ToCompileInput());
        Assert.NotEqual(spec.Anchors, shifted.Anchors);
        Assert.All(spec.Anchors.Zip(shifted.Anchors), p => Assert.Equal(p.First.Line + 2, p.Second.Line));
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
