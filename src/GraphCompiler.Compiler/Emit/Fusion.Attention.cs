using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Emit;

public static partial class Fusion
{
    /// <summary>
    /// Attention chains (<see cref="AttentionChain"/>) the back end runs as one fused kernel: Q·Kᵀ, its scale and
    /// biases, the softmax and the product with V become one kernel instead of two GEMMs around a row kernel. The
    /// scores and every intermediate up to the shifted logits must be read only inside the chain (the fused kernel
    /// never stores them); the softmax's exponentials, row sums and probabilities may be read after it (a train
    /// step's backward reads them), and the kernel then stores them as well. V and the biases must not depend on
    /// the chain, or the kernel would wait on itself. Where autodiff's gradient of a fused chain is there whole and
    /// closed (<see cref="AttentionGradient"/>), it becomes the fused backward, which reads the output, the row maxima
    /// and sums instead of the exponentials and probabilities: the readers are rewritten so, and the forward stores those.
    /// </summary>
    private static (List<AttentionChain> Chains, List<AttentionGradient> Gradients) AttentionKernels(Graph g, Dictionary<Node, List<Node>> readers, HashSet<Node> outputs, HashSet<Node> taken, BackendCapabilities can)
    {
        var chains = new List<AttentionChain>();
        var gradients = new List<AttentionGradient>();
        foreach (var n in g.Nodes)
        {
            if (taken.Contains(n) || AttentionChain.Match(n, x => readers[x]) is not { } chain || chain.Members.Any(taken.Contains)) continue;
            var members = new HashSet<Node>(chain.Members);
            var storable = new HashSet<Node>(chain.Storable);
            if (chain.Members.Any(m => !storable.Contains(m) && (outputs.Contains(m) || readers[m].Any(r => !members.Contains(r))))) continue;
            if (chain.Biases.Append(chain.Value).Any(v => DependsOn(v, chain.Scores, members)) || !can.FusesAttention(chain)) continue;
            chains.Add(chain);
            taken.UnionWith(members);
            if (AttentionGradient.Match(chain, x => readers[x]) is not { } gradient || gradient.Members.Any(taken.Contains)
                || !gradient.IsClosed(x => readers[x], outputs) || Ops.Constant.SplatValue(gradient.OutputGrad) is not null) continue;
            gradients.Add(gradient);
            taken.UnionWith(gradient.Members);
            var region = new HashSet<Node>(gradient.Members);
            foreach (var piece in new[] { chain.Exps, chain.Probabilities }) readers[piece].RemoveAll(region.Contains);
            foreach (var kept in new[] { chain.Max, chain.Output }) if (!readers[kept].Contains(gradient.QueryGrad)) readers[kept].Add(gradient.QueryGrad);
        }
        return (chains, gradients);
    }

    /// <summary>True when <paramref name="n"/> reads a member of the chain that starts at <paramref name="first"/> (nodes before it cannot).</summary>
    private static bool DependsOn(Node n, Node first, HashSet<Node> members)
    {
        var seen = new HashSet<Node>();
        var stack = new Stack<Node>(new[] { n });
        while (stack.Count > 0)
        {
            var x = stack.Pop();
            if (members.Contains(x)) return true;
            if (x.Id < first.Id || !seen.Add(x)) continue;
            foreach (var i in x.Inputs) stack.Push(i);
        }
        return false;
    }
}
