using GraphCompiler.Compiler.Backends.Cpu;
using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Passes;
using AttentionOps = GraphCompiler.Compiler.Ops.Composites.Attention;

namespace GraphCompiler.Compiler.Tests.Emit;

/// <summary>
/// The masked softmax of attention logits and the layer normalization each fuse into one row kernel forward and
/// one backward: nothing over the logits' (or the activations') full shape is left in another kernel.
/// </summary>
public class AttentionFusionTests
{
    private static readonly Dim Batch = Dim.Sym("batch");

    /// <summary>y = op(x) and, with <paramref name="backward"/>, the gradient of Σ y·r with respect to x (and the other float inputs).</summary>
    private static Graph Build(Shape xShape, Func<GraphBuilder, Node, Node> op, bool backward, params (string Name, Shape Shape)[] parameters)
    {
        var g = new GraphBuilder("t");
        var x = g.Input("x", DType.Float32, xShape);
        var extra = parameters.Select(p => g.Input(p.Name, DType.Float32, p.Shape)).ToList();
        var y = op(g, x);
        if (!backward)
        {
            g.AddOutput("y", y);
            return g.Build();
        }
        var r = g.Input("r", DType.Float32, y.Shape);
        var loss = g.Apply("reduce_sum", new[] { g.Mul(y, r) }, Attrs.Of(("axes", Enumerable.Range(0, y.Shape.Rank).ToArray()), ("keepdims", false)));
        var grads = Autodiff.Gradients(g, loss, new[] { x }.Concat(extra.Where(e => e.Name is "gamma" or "beta")).ToList());
        for (int i = 0; i < grads.Length; i++) g.AddOutput("grad" + i, grads[i]!);
        return g.Build();
    }

    /// <summary>The one row kernel over <paramref name="space"/>, after asserting that no other kernel computes anything of that shape.</summary>
    private static Kernel OneRowKernel(Graph g, Shape space)
    {
        var kernels = Fusion.Plan(g);
        var row = Assert.Single(kernels, k => k.RowSpace is not null && k.RowSpace.Equals(space));
        var outside = kernels.Where(k => k != row && k.Members.Any(m => m.Shape.Equals(space))).SelectMany(k => k.Members.Select(m => m.Name)).ToList();
        Assert.True(outside.Count == 0, "computed over the full space outside the row kernel: " + string.Join(", ", outside));
        return row;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MaskedSoftmaxForwardIsOneRowKernelThatReadsThePaddingMaskPerRow(bool causal)
    {
        var space = Shape.Of(Batch, 2, 3, 5);
        var g = Build(space, (b, x) => AttentionOps.MaskedSoftmax(b, x, b.Input("mask", DType.Float32, Shape.Of(Batch, 5)), 0.5, causal), backward: false);
        var row = OneRowKernel(g, space);
        var ops = row.Members.Select(m => m.OpName).ToList();
        foreach (var op in new[] { "mul", "add", "reduce_max", "exp", "reduce_sum", "div" }) Assert.Contains(op, ops);
        var lowered = (RowKernel)LowerKernelsPass.Lower(row);
        // The mask's additive term [batch, 1, 1, 5] (and the causal band [3, 5]) are read from a base per row.
        Assert.Equal(causal ? 2 : 1, lowered.Operands.Count(o => o.Map == IndexMap.Strided));
        var text = RowKernelEmitter.Emit(lowered, "K", FusedKernelEmitter.NaturalForm(lowered), n => n.Name, out _, out bool needsDims);
        Assert.True(needsDims);
        Assert.Contains("int rest = r;", text);
        Assert.Contains("Vector.Exp(", text);
        Assert.Contains("// Pass 0: reduce_max", text);
    }

    [Fact]
    public void MaskedSoftmaxForwardAndBackwardShareOneRowKernel()
    {
        var space = Shape.Of(Batch, 2, 3, 5);
        var g = Build(space, (b, x) => AttentionOps.MaskedSoftmax(b, x, b.Input("mask", DType.Float32, Shape.Of(Batch, 5)), 0.5, false), backward: true);
        // As softmax with its cross-entropy: the probabilities and dlogits = scale·p·(dy − Σ dy·p) in the passes of one row kernel.
        var row = OneRowKernel(g, space);
        var ops = row.Members.Select(m => m.OpName).ToList();
        Assert.Contains("reduce_max", ops);
        Assert.Contains("sum_to_like", ops); // Σ dy·p per row
        Assert.Contains(row.Members, m => m.Name.Contains("_grad", StringComparison.Ordinal));
    }

    [Fact]
    public void LayerNormalizationIsOneRowKernelForwardAndOneForTheInputGradient()
    {
        var space = Shape.Of(Batch, 4, 7);
        (string, Shape)[] parameters = { ("gamma", Shape.Of(7)), ("beta", Shape.Of(7)) };
        Node Norm(GraphBuilder b, Node x) => AttentionOps.LayerNormalization(b, x, b.TryGetInput("gamma", out var gamma) ? gamma : throw new InvalidOperationException(), b.TryGetInput("beta", out var beta) ? beta : throw new InvalidOperationException(), 1e-12);
        var forward = OneRowKernel(Build(space, Norm, backward: false, parameters), space);
        Assert.Equal(2, forward.Members.Count(m => m.OpName == "reduce_sum")); // mean and variance
        Assert.Contains("rsqrt", forward.Members.Select(m => m.OpName));

        var g = Build(space, Norm, backward: true, parameters);
        var rows = Fusion.Plan(g).Where(k => k.RowSpace is not null && k.RowSpace.Equals(space)).ToList();
        Assert.Contains(rows, k => k.Members.Any(m => m.Name.Contains("_grad", StringComparison.Ordinal)) && k.Outputs.Any(o => o.Shape.Equals(space)));
    }
}
