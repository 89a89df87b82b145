using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Passes;

/// <summary>
/// Passes that depend on which entry point a graph is compiled for. One lowered graph serves the train step
/// and the inference entries (dropout, batch normalization's <c>in_training</c>); once the entry is known, the
/// unused branch and its work (batch statistics computed only to be discarded) go, and batch normalization
/// with fixed statistics folds into the convolution before it.
/// </summary>
public static class EntryModePasses
{
    /// <summary>
    /// <c>in_training(a, b)</c> becomes a in the train step, b elsewhere; the assignments that become
    /// <c>assign(v, v)</c> (batch norm's moving averages outside training) are dropped, so dead-code
    /// elimination removes the batch statistics that only they and the other branch read.
    /// </summary>
    public static Graph ResolveInTrainingPass(Graph g, bool training)
    {
        if (!g.Nodes.Any(n => n.Op is InTraining)) return g;
        var resolved = GraphRewriter.Rewrite(g, (b, n, inputs) => n.Op is InTraining ? inputs[training ? 0 : 1] : null);
        return GraphRewriter.Rewrite(resolved, (b, n, inputs) => null, keep: n => !(n.Op is Assign && n.Inputs[0] == n.Inputs[1]));
    }

    /// <summary>
    /// Inference batch normalization after a convolution, <c>(conv2d(x, f) [+ b₀] − μ)·s + β</c> with per-channel
    /// μ, s = γ/√(σ² + ε) and β, becomes <c>conv2d(x, f·s) + (β + (b₀ − μ)·s)</c>: the scale goes into the filters
    /// (kh·kw·c·o multiplies per call instead of n·oh·ow·o) and the shift is the bias that the convolution's store
    /// adds with the relu (fusion's GEMM epilogue), so the normalized image is never written separately.
    /// Only outside the train step (whose statistics are the batch's) and where each intermediate value has that one reader.
    /// </summary>
    public static Graph FoldBatchNormIntoConvolutionPass(Graph g, bool training)
    {
        if (training || !g.Nodes.Any(n => n.Op is Conv2D)) return g;
        // The batch statistics that ResolveInTrainingPass left unread still read the convolution.
        g = Simplify.EliminateDeadCodePass(g);
        var consumers = g.Consumers();
        var outputs = new HashSet<Node>(g.Outputs.Select(o => o.Node));
        bool OnlyReader(Node value, Node reader) => !outputs.Contains(value) && consumers[value].Count == 1 && consumers[value][0] == reader;
        var map = new Dictionary<Node, Node>();
        return GraphRewriter.Rewrite(g, (b, n, inputs) => map[n] = Fold(b, n) ?? GraphRewriter.Clone(b, n, inputs));

        Node? Fold(GraphBuilder b, Node n)
        {
            if (n.Op is not Add || !n.Inputs.Any(i => i.Op is Mul)) return null;
            var mul = n.Inputs[0].Op is Mul ? n.Inputs[0] : n.Inputs[1];
            var beta = n.Inputs[0] == mul ? n.Inputs[1] : n.Inputs[0];
            var sub = mul.Inputs.FirstOrDefault(i => i.Op is Sub);
            if (sub is null || !OnlyReader(mul, n) || !OnlyReader(sub, mul)) return null;
            var scale = mul.Inputs[0] == sub ? mul.Inputs[1] : mul.Inputs[0];
            var (convolved, mean) = (sub.Inputs[0], sub.Inputs[1]);
            Node? bias = null;
            var conv = convolved;
            if (convolved.Op is Add && convolved.Inputs.FirstOrDefault(i => i.Op is Conv2D) is { } inner && OnlyReader(inner, convolved))
            {
                bias = convolved.Inputs[0] == inner ? convolved.Inputs[1] : convolved.Inputs[0];
                conv = inner;
            }
            if (conv.Op is not Conv2D || !OnlyReader(convolved, sub) || !n.Shape.Equals(conv.Shape)) return null;
            var channels = conv.Shape[3];
            if (new[] { mean, scale, beta, bias }.Any(v => v is not null && (v.DType != conv.DType || v.Shape.Rank != 1 || v.Shape[0] != channels))) return null;

            var s = map[scale];
            // Named in the normalization's scope: batch_normalization/folded_kernel, batch_normalization/folded_shift.
            var scope = n.Name.Substring(0, n.Name.LastIndexOf('/') + 1);
            var filters = b.Apply("mul", new[] { map[conv.Inputs[1]], s }, null, scope + "folded_kernel");
            var folded = b.Apply(conv.Op, new[] { map[conv.Inputs[0]], filters }, conv.Attrs, conv.Name + "_folded");
            var shift = bias is null
                ? b.Apply("sub", new[] { map[beta], b.Mul(map[mean], s) }, null, scope + "folded_shift")
                : b.Apply("add", new[] { map[beta], b.Mul(b.Sub(map[bias], map[mean]), s) }, null, scope + "folded_shift");
            return b.Apply("add", new[] { folded, shift }, null, n.Name);
        }
    }
}
