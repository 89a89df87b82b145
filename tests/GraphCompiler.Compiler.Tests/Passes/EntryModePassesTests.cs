using GraphCompiler.Compiler.Backends.Cpu;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Ops.Composites;
using GraphCompiler.Compiler.Passes;
using GraphCompiler.Compiler.Reference;

namespace GraphCompiler.Compiler.Tests.Passes;

/// <summary>Batch normalization per entry point: the train step keeps its batch statistics; inference folds into the convolution.</summary>
public class EntryModePassesTests
{
    /// <summary>relu(batch_norm(conv2d(x, f) [+ b])) over an odd image, with every variable random (moving statistics included).</summary>
    private static (Graph Graph, Dictionary<string, RefTensor> Variables, Dictionary<string, RefTensor> Inputs) ConvBatchNorm(bool convBias, int seed)
    {
        var rng = new System.Random(seed);
        RefTensor Uniform(int[] shape, double low, double high) =>
            new(DType.Float32, shape, Enumerable.Range(0, shape.Aggregate(1, (p, d) => p * d)).Select(_ => (double)(float)(low + rng.NextDouble() * (high - low))).ToArray());
        var b = new GraphBuilder("Forward");
        var x = b.Input("x", DType.Float32, Shape.Of(2, 5, 7, 3));
        var variables = new Dictionary<string, RefTensor>();
        Node Variable(string name, int[] shape, double low, double high)
        {
            variables[name] = Uniform(shape, low, high);
            return b.Variable(new VariableInfo(name, DType.Float32, Shape.Of(shape), InitSpec.Zeros, !name.Contains("moving", StringComparison.Ordinal)));
        }
        var y = Convolution.Conv2D(b, x, Variable("kernel", [3, 3, 3, 4], -1, 1), [2, 1], same: true, null);
        if (convBias) y = b.Add(y, Variable("bias", [4], -1, 1));
        y = Normalization.BatchNormalization(b, y, Variable("gamma", [4], 0.5, 2), Variable("beta", [4], -1, 1),
            Variable("moving_mean", [4], -1, 1), Variable("moving_variance", [4], 0.1, 3), 0.99, 1e-3);
        b.AddOutput("result", MathComposites.Relu(b, y));
        return (b.Build(), variables, new Dictionary<string, RefTensor> { ["x"] = Uniform([2, 5, 7, 3], -2, 2) });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void InferenceFoldsTheBatchNormIntoTheConvolutionsStoreAndComputesNoBatchStatistics(bool convBias)
    {
        var (g, variables, inputs) = ConvBatchNorm(convBias, seed: convBias ? 2 : 1);
        var compiled = PassPipeline.Compile(g, CpuCapabilities.Instance, training: false);

        Assert.DoesNotContain(compiled.Graph.Nodes, n => n.Op is ReduceSum or InTraining or Assign);
        Assert.Empty(compiled.Graph.Effects);
        var conv = Assert.Single(compiled.Descriptions.OfType<ConvolutionCall>());
        Assert.NotNull(conv.Bias);
        Assert.True(conv.Relu);
        // Every kernel but the convolution works on per-channel vectors or the [3, 3, 3, 4] filters, never the image.
        Assert.All(compiled.Graph.Nodes.Where(n => n.Op is not (Conv2D or Add or Relu or Input) && n.Shape.Rank == 4), n => Assert.Equal("[3, 3, 3, 4]", n.Shape.ToString()));

        // The interpreter rounds each op to float32, so the two orders of operations differ in the last bits.
        var expected = Interpreter.Outputs(g, inputs, new Dictionary<string, RefTensor>(variables), RunContext.Inference)["result"].Data;
        var folded = Interpreter.Outputs(compiled.Graph, inputs, new Dictionary<string, RefTensor>(variables), RunContext.Inference)["result"].Data;
        Assert.Equal(expected.Length, folded.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - folded[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"[{i}]: {expected[i]} vs {folded[i]}");
    }

    [Fact]
    public void TheTrainStepKeepsTheBatchStatisticsAndTheMovingAverageUpdates()
    {
        var (g, _, _) = ConvBatchNorm(convBias: false, seed: 3);
        var compiled = PassPipeline.Compile(g, CpuCapabilities.Instance, training: true);
        Assert.DoesNotContain(compiled.Graph.Nodes, n => n.Op is InTraining);
        Assert.Equal(2, compiled.Graph.Effects.Count(e => e.Op is Assign));
        Assert.Contains(compiled.Graph.Nodes, n => n.Op is ReduceSum);
        Assert.Null(Assert.Single(compiled.Descriptions.OfType<ConvolutionCall>()).Bias);
    }

    [Fact]
    public void WithoutAnEntryModeTheGraphKeepsInTraining()
    {
        var (g, _, _) = ConvBatchNorm(convBias: false, seed: 4);
        Assert.Contains(PassPipeline.Compile(g, CpuCapabilities.Instance).Graph.Nodes, n => n.Op is InTraining);
    }
}
