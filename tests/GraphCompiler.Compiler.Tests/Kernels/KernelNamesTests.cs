using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Ops.Composites;
using GraphCompiler.Compiler.Passes;

namespace GraphCompiler.Compiler.Tests.Kernels;

public class KernelNamesTests
{
    [Fact]
    public void ACompositeNamesItsKernelAndTheValuesInsideAreNamedRelativeToIt()
    {
        var g = new GraphBuilder("t");
        var x = g.Input("x", DType.Float32, Shape.Of(Dim.Sym("n"), 17));
        g.AddOutput("y", MathComposites.Softmax(g, x, -1));
        var graph = g.Build();
        var kernels = LowerKernelsPass.Run(Fusion.Plan(graph));
        PlanMemoryPass.Run(graph, kernels);
        var names = Assert.Single(kernels).Names;
        Assert.Equal("Softmax", names.Method);
        Assert.Equal("softmax/", names.Scope);
        Assert.Equal("x", names.Parameters[x]);
        var exp = graph.Nodes.Single(n => n.Name == "softmax/exp");
        Assert.Equal("exp", names.Locals[exp]);
        Assert.Equal("exp", names.Describe(exp));
    }

    [Fact]
    public void AnUpdateKernelNamesItsVariableRolesSoEveryVariablesUpdateReadsAlike()
    {
        var train = IR.GraphTextTests.LinearRegressionTrainStep(out _);
        var compiled = PassPipeline.Compile(train, GraphCompiler.Compiler.Backends.Cpu.CpuCapabilities.Instance);
        var updates = compiled.Descriptions.Where(d => d.Names.Subject is not null).ToList();
        Assert.Equal(new[] { "W", "b" }, updates.Select(d => d.Names.Subject).OrderBy(s => s, StringComparer.Ordinal));
        Assert.All(updates, d =>
        {
            Assert.Equal("GradientDescentUpdate", d.Names.Method);
            Assert.Contains("variable", d.Names.Parameters.Values);
            Assert.Contains("gradient", d.Names.Parameters.Values);
            Assert.Contains("learningRate", d.Names.Parameters.Values);
            Assert.Contains("newVariable", d.Names.Parameters.Values);
        });
    }

    [Fact]
    public void IdentifiersAreCamelCaseUniqueAndNeverKeywords()
    {
        Assert.Equal("h1MatmulGradMatmul1", KernelNames.ValueIdentifier("gradients/h1/matmul_grad/matmul_1"));
        Assert.Equal("gradientsAdd", KernelNames.ValueIdentifier("gradients/add"));
        var long_ = KernelNames.Identifier("two_layers/block/attention/softmax/log_softmax/reduce_max", out var shortened);
        Assert.True(shortened);
        Assert.True(long_.Length <= 32, long_);
        Assert.EndsWith("ReduceMax", long_, StringComparison.Ordinal);

        // Values named like C# keywords and like each other still get distinct, valid identifiers.
        var g = new GraphBuilder("t");
        var a = g.Input("in", DType.Float32, Shape.Of(4));
        var b = g.Input("out", DType.Float32, Shape.Of(4));
        g.AddOutput("y", g.Add(g.Apply("exp", new[] { a }, name: "int"), g.Apply("exp", new[] { b }, name: "i")));
        var graph = g.Build();
        var kernels = LowerKernelsPass.Run(Fusion.Plan(graph));
        PlanMemoryPass.Run(graph, kernels);
        var names = Assert.Single(kernels).Names;
        var all = names.Parameters.Values.Concat(names.Locals.Values).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.All(all, n => Assert.False(CSharpNames.IsKeyword(n), n));
        Assert.DoesNotContain("i", all); // a renderer's loop index
        Assert.Contains("inValue", all);
        Assert.Contains("outValue", all);
    }
}
