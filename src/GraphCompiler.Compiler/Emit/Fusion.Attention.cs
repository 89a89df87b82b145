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
    /// the chain, or the kernel would wait on itself.
    /// </summary>
    private static List<AttentionChain> AttentionKernels(Graph g, Dictionary<Node, List<Node>> readers, HashSet<Node> outputs, HashSet<Node> taken, BackendCapabilities can)
    {
        var chains = new List<AttentionChain>();
        foreach (var n in g.Nodes)
        {
            if (taken.Contains(n) || AttentionChain.Match(n, x => readers[x]) is not { } chain || chain.Members.Any(taken.Contains)) continue;
            var members = new HashSet<Node>(chain.Members);
            var storable = new HashSet<Node>(chain.Storable);
            if (chain.Members.Any(m => !storable.Contains(m) && (outputs.Contains(m) || readers[m].Any(r => !members.Contains(r))))) continue;
            if (chain.Biases.Append(chain.Value).Any(v => DependsOn(v, chain.Scores, members)) || !can.FusesAttention(chain)) continue;
            chains.Add(chain);
            taken.UnionWith(members);
        }
        return chains;
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
