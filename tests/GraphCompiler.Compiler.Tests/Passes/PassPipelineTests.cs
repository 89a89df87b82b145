using GraphCompiler.Compiler.Backends.Cpu;
using GraphCompiler.Compiler.Passes;
using GraphCompiler.Compiler.Tests.IR;

namespace GraphCompiler.Compiler.Tests.Passes;

public class PassPipelineTests
{
    [Fact]
    public void EveryPassIsListedInTheOrderItRuns()
    {
        var order = PassPipeline.Order;
        Assert.Equal("LowerModelPass", order[0]);
        Assert.Equal(PassPipeline.RenderPass, order[order.Count - 1]);
        int Position(string pass) => order.ToList().IndexOf(pass);
        Assert.True(Position("AutodiffPass") < Position("OptimizerUpdatePass"));
        Assert.True(Position("OptimizerUpdatePass") < Position("FoldConstantsPass"));
        Assert.True(Position("EliminateDeadCodePass") < Position(PassPipeline.FusionPass));
        Assert.True(Position(PassPipeline.FusionPass) < Position(nameof(LowerKernelsPass)));
        Assert.True(Position(nameof(LowerKernelsPass)) < Position(nameof(PlanMemoryPass)));
        Assert.True(Position(nameof(PlanMemoryPass)) < Position(PassPipeline.RenderPass));
    }

    [Fact]
    public void CompileDumpsTheIrAfterEachGraphPassAndTheKernelPlanAfterLoweringAndTheMemoryPlan()
    {
        var graphDumps = new List<string>();
        var kernelDumps = new Dictionary<string, string>();
        var entry = PassPipeline.Compile(GraphTextTests.LinearRegressionTrainStep(out _), CpuCapabilities.Instance,
            (pass, _) => graphDumps.Add(pass), (pass, text) => kernelDumps.Add(pass, text));
        Assert.Equal(PassPipeline.Passes.Select(p => p.Name), graphDumps);
        Assert.Equal(new[] { nameof(LowerKernelsPass), nameof(PlanMemoryPass) }, kernelDumps.Keys);
        Assert.Equal(entry.Kernels.Count, entry.Descriptions.Count);
        Assert.StartsWith("kernel K0_mul_add_sub_square_reduce_sum per-row", kernelDumps[nameof(LowerKernelsPass)]);
        Assert.StartsWith("memory\n  buffer 0 f32", kernelDumps[nameof(PlanMemoryPass)]);
        Assert.Contains("into variable \"W\"", kernelDumps[nameof(PlanMemoryPass)]);
    }
}
