using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Passes;
using GraphCompiler.Compiler.Tests.IR;

namespace GraphCompiler.Compiler.Tests.Passes;

public class PlanMemoryPassTests
{
    private static (IReadOnlyList<KernelDescription> Kernels, MemoryPlan Plan) Plan(Graph g)
    {
        var kernels = LowerKernelsPass.Run(Fusion.Plan(g));
        return (kernels, PlanMemoryPass.Run(g, kernels));
    }

    [Fact]
    public void AKernelThatReadsAValueLastWritesItsOutputInPlace()
    {
        var b = new GraphBuilder("t");
        var n = Dim.Sym("n");
        var x = b.Input("x", DType.Float32, Shape.Of(n, 4));
        var e = b.Apply("exp", new[] { x });
        var sums = b.Apply("reduce_sum", new[] { e }, Attrs.Of(("axes", new[] { 1 }), ("keepdims", true)));
        var y = b.Div(e, sums); // reads e last, in a kernel of its own after the sums: may take e's buffer
        b.AddOutput("y", b.Apply("log", new[] { y }));
        var (kernels, plan) = Plan(b.Build());
        Assert.All(plan.Buffers, buffer => Assert.Equal(DType.Float32, buffer.DType));
        Assert.Equal(new[] { DType.Float32 }, plan.Arenas);
        foreach (var (buffer, i) in plan.Buffers.Select((buffer, i) => (buffer, i)))
        {
            Assert.Equal(i, buffer.Index);
            Assert.True(buffer.FirstUse <= buffer.LastUse);
            Assert.Same(buffer, plan.BufferOf[buffer.Value]);
        }
        // Every stored value has a buffer; the graph output keeps one of its own to the end.
        Assert.All(kernels.SelectMany(k => k.Outputs), o => Assert.True(plan.BufferOf.ContainsKey(o)));
        var output = b.Build().Outputs[0].Node;
        Assert.Equal(kernels.Count, plan.BufferOf[output].LastUse);
    }

    [Fact]
    public void TheTrainStepsUpdatesAreSinksAndItsVariablesLiveAcrossEntryPoints()
    {
        var train = PassPipeline.Run(GraphTextTests.LinearRegressionTrainStep(out _));
        var (kernels, plan) = Plan(train);
        var assigned = train.Effects.Select(GraphCompiler.Compiler.Ops.Assign.Target).ToList();
        Assert.Equal(assigned.OrderBy(s => s), plan.Sinks.Values.OrderBy(s => s));
        Assert.All(plan.Sinks.Keys, v => Assert.False(plan.BufferOf.ContainsKey(v)));
        Assert.Equal(assigned.OrderBy(s => s), plan.Variables.OrderBy(s => s));
        // The residual's gradient kernel reads the residual last and overwrites it (see the emitted-model test).
        Assert.True(plan.Buffers.Count < kernels.SelectMany(k => k.Outputs).Count(o => !plan.Sinks.ContainsKey(o)));
    }
}
