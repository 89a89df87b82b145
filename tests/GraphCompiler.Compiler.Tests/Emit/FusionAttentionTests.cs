using GraphCompiler.Compiler.Backends.Cpu;
using GraphCompiler.Compiler.Backends.Ilgpu;
using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Passes;
using AttentionOps = GraphCompiler.Compiler.Ops.Composites.Attention;

namespace GraphCompiler.Compiler.Tests.Emit;

/// <summary>
/// On the ILGPU back end scaled dot-product attention (Q·Kᵀ, scale, padding and causal masks, softmax, ·V) is one
/// fused attention kernel, and a train step's gradient of it one fused backward (the forward then stores only its output, row
/// maxima and sums; the softmax's pieces only when something else reads them); where the capability
/// object says the tiles do not fit, or the chain is not one (dropout on the weights, the scores read elsewhere), and
/// on the CPU, today's kernels run.
/// </summary>
public class FusionAttentionTests
{
    private static readonly Dim Batch = Dim.Sym("batch");

    /// <summary>Attention of [batch, 2, tq, dk] queries over [batch, 2, tk, dk] keys; with <paramref name="backward"/> the gradients to q, k and v of Σ y·r.</summary>
    internal static Graph Build(int tq = 5, int tk = 7, int dk = 4, int dv = 3, bool causal = false, bool backward = false, double dropout = 0, bool returnScores = false, bool probabilitiesOut = false)
    {
        var g = new GraphBuilder("t");
        var q = g.Input("q", DType.Float32, Shape.Of(Batch, 2, tq, dk));
        var k = g.Input("k", DType.Float32, Shape.Of(Batch, 2, tk, dk));
        var v = g.Input("v", DType.Float32, Shape.Of(Batch, 2, tk, dv));
        var mask = g.Input("mask", DType.Float32, Shape.Of(Batch, tk));
        Node y;
        if (returnScores)
        {
            // The composite's chain spelled out, so that its scores can be an output too.
            var scores = g.Apply("matmul", new[] { q, k }, Compiler.Ops.MatMul.Flags(false, true));
            g.AddOutput("scores", scores);
            y = g.Apply("matmul", new[] { AttentionOps.MaskedSoftmax(g, scores, mask, 1 / Math.Sqrt(dk), causal), v }, Compiler.Ops.MatMul.Flags(false, false));
        }
        else y = AttentionOps.ScaledDotProduct(g, q, k, v, mask, causal, dropout);
        g.AddOutput("y", y);
        if (backward)
        {
            var r = g.Input("r", DType.Float32, y.Shape);
            var loss = g.Apply("reduce_sum", new[] { g.Mul(y, r) }, Attrs.Of(("axes", new[] { 0, 1, 2, 3 }), ("keepdims", false)));
            var grads = Autodiff.Gradients(g, loss, new[] { q, k, v });
            for (int i = 0; i < grads.Length; i++) g.AddOutput("grad" + i, grads[i]!);
            // The attention weights as an output too (a model returning them), found as the product's first operand.
            if (probabilitiesOut) g.AddOutput("weights", y.Inputs[0]);
        }
        return PassPipeline.Run(g.Build());
    }

    private static List<Kernel> AttentionKernels(Graph g, BackendCapabilities? can = null) =>
        Fusion.Plan(g, can ?? IlgpuCapabilities.Instance).Where(k => k.IsAttention).ToList();

    [Fact]
    public void Inference_attention_is_one_kernel_that_stores_only_its_output()
    {
        var g = Build();
        var kernels = Fusion.Plan(g, IlgpuCapabilities.Instance);
        var attention = Assert.Single(kernels, k => k.IsAttention);
        var call = Assert.IsType<AttentionCall>(LowerKernelsPass.Lower(attention));
        Assert.Equal(call.Chain.Output, Assert.Single(call.Outputs));
        Assert.Equal(1 / Math.Sqrt(4), call.Chain.Scale, 12);
        Assert.Equal(IndexMap.Strided, Assert.Single(call.Operands, o => o.Value == Assert.Single(call.Chain.Biases)).Map);
        // Nothing over the scores' shape is computed by any other kernel: no [batch, 2, 5, 7] value is ever stored.
        var scores = Shape.Of(Batch, 2, 5, 7);
        Assert.DoesNotContain(kernels.Where(k => k != attention).SelectMany(k => k.Members), m => m.Shape.Equals(scores));
        Assert.Contains("attention ", KernelText.Write(LowerKernelsPass.Run(kernels)));
    }

    [Fact]
    public void The_device_call_passes_the_items_the_masks_broadcast_maps_and_no_pieces()
    {
        var call = (AttentionCall)LowerKernelsPass.Lower(Assert.Single(AttentionKernels(Build(causal: true))));
        Assert.Equal(2, call.Chain.Biases.Count); // the padding term and the causal band
        var text = IlgpuAttentionRenderer.Render(call, new DeviceCall(n => "view_" + n.Id, d => d.IsStatic ? d.ToString() : "n_" + d, s => "count(" + string.Join(",", s) + ")", "program"));
        Assert.StartsWith("program.Context.Library.Attention(new GraphCompiler.Runtime.Devices.AttentionShape(count(batch,2), 5, 7, 4, 3, 0.5f, 2)", text);
        Assert.Contains($"StridedMap.Broadcast(new int[] {{ n_batch, 1, 1, 7 }}, new int[] {{ n_batch, 2, 5, 7 }})", text);
        Assert.Contains("StridedMap.Broadcast(new int[] { 5, 7 }, new int[] { n_batch, 2, 5, 7 })", text);
        Assert.DoesNotContain("probabilities:", text);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_train_step_runs_the_fused_backward_and_stores_no_scores(bool causal)
    {
        var g = Build(causal: causal, backward: true);
        var kernels = Fusion.Plan(g, IlgpuCapabilities.Instance);
        var attention = Assert.Single(kernels, k => k.IsAttention);
        var chain = AttentionChain.Of(attention.Members);
        // The fused backward reads the output and each row's maximum and sum; nothing [Tq, Tk] is stored.
        Assert.Equal(new[] { chain.Max, chain.Sums, chain.Output }.OrderBy(n => n.Id), attention.Outputs.OrderBy(n => n.Id));
        var backward = Assert.Single(kernels, k => k.AttentionGradient is not null);
        Assert.Equal(new[] { g.Output("grad0"), g.Output("grad1"), g.Output("grad2") }.OrderBy(n => n.Id), backward.Outputs.OrderBy(n => n.Id));
        var scores = Shape.Of(Batch, 2, 5, 7);
        Assert.DoesNotContain(kernels.SelectMany(k => k.Outputs), n => n.Shape.Equals(scores));
        Assert.DoesNotContain(kernels.Where(k => k != attention && k != backward).SelectMany(k => k.Members), m => m.Shape.Equals(scores));
        var call = Assert.IsType<AttentionGradientCall>(LowerKernelsPass.Lower(backward));
        Assert.DoesNotContain(call.Operands, o => o.Value.Shape.Equals(scores));
        var device = new DeviceCall(n => "view_" + n.Id, d => d.ToString(), s => "n", "program");
        Assert.EndsWith($"view_{chain.Output.Id}, sums: view_{chain.Sums.Id}, maxima: view_{chain.Max.Id});", IlgpuAttentionRenderer.Render((AttentionCall)LowerKernelsPass.Lower(attention), device));
        var text = IlgpuAttentionRenderer.RenderBackward(call, device);
        Assert.StartsWith("program.Context.Library.AttentionBackward(new GraphCompiler.Runtime.Devices.AttentionShape(n, 5, 7, 4, 3, 0.5f, " + (causal ? 2 : 1) + ")", text);
        Assert.EndsWith($"view_{chain.Output.Id}, view_{call.Gradient.OutputGrad.Id}, view_{chain.Max.Id}, view_{chain.Sums.Id}, "
            + $"view_{g.Output("grad0").Id}, view_{g.Output("grad1").Id}, view_{g.Output("grad2").Id});", text);
        Assert.Contains("attention backward", KernelText.Write(LowerKernelsPass.Run(kernels)));
    }

    [Fact]
    public void A_backward_whose_probabilities_are_read_elsewhere_stays_unfused_and_the_forward_stores_its_pieces()
    {
        var g = Build(backward: true, probabilitiesOut: true);
        var kernels = Fusion.Plan(g, IlgpuCapabilities.Instance);
        var attention = Assert.Single(kernels, k => k.IsAttention);
        Assert.DoesNotContain(kernels, k => k.AttentionGradient is not null);
        var chain = AttentionChain.Of(attention.Members);
        Assert.Equal(new[] { chain.Exps, chain.Sums, chain.Probabilities, chain.Output }.OrderBy(n => n.Id), attention.Outputs.OrderBy(n => n.Id));
        var text = IlgpuAttentionRenderer.Render((AttentionCall)LowerKernelsPass.Lower(attention), new DeviceCall(n => "view_" + n.Id, d => d.ToString(), s => "n", "program"));
        Assert.Contains($"exps: view_{chain.Exps.Id}, sums: view_{chain.Sums.Id}, probabilities: view_{chain.Probabilities.Id}", text);
    }

    [Fact]
    public void The_cpu_never_fuses_attention()
    {
        Assert.Empty(AttentionKernels(Build(), CpuCapabilities.Instance));
        Assert.False(CpuCapabilities.Instance.FusesAttention(AttentionChain.Of(Assert.Single(AttentionKernels(Build())).Members)));
    }

    [Theory]
    [InlineData(64, 64, true)]
    [InlineData(88, 88, true)]    // dk + dv = 176: 32·(2·176 + 32)·4 = 49,152 bytes, exactly the 48 KiB
    [InlineData(128, 128, false)] // 69,632 bytes: falls back to two GEMMs around the row kernel
    [InlineData(100, 80, false)]
    public void Heads_whose_tiles_do_not_fit_shared_memory_fall_back(int dk, int dv, bool fused)
    {
        var g = Build(tq: 3, tk: 3, dk: dk, dv: dv);
        Assert.Equal(fused, AttentionKernels(g).Count == 1);
        if (!fused) Assert.Contains(Fusion.Plan(g, IlgpuCapabilities.Instance), k => k.RowSpace is not null); // the softmax's row kernel, as before
    }

    [Fact]
    public void Dropout_on_the_weights_or_the_scores_read_elsewhere_leave_todays_kernels()
    {
        Assert.Empty(AttentionKernels(Build(dropout: 0.1)));
        Assert.Empty(AttentionKernels(Build(returnScores: true)));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(33, 33)]
    [InlineData(40, 70)]
    public void Any_sequence_length_streams_through_the_key_tiles(int tq, int tk) =>
        Assert.Single(AttentionKernels(Build(tq: tq, tk: tk)));
}
