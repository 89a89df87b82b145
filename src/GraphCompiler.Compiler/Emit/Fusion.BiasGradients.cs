using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Emit;

public static partial class Fusion
{
    /// <summary>
    /// Bias gradients: the backward of a dense layer Y = X·W + b reads dY twice, for dW = Xᵀ·dY and for
    /// db = dY summed over the batch axis. A float32 column sum of a 2-D value (sum_to_like to [n] or [1, n],
    /// or reduce_sum over axis 0) pairs with a matmul whose GEMM can sum B's columns (the back end's capabilities) that reads the same value as its
    /// untransposed b operand ([k, n], summed over k) into one kernel: the GEMM sums each column of b while it
    /// packs or reads b. Each node joins at most one pair, and not when the pair would make two kernels
    /// depend on each other (the sum feeding the matmul's other operand, directly or through other kernels).
    /// Runs after the elementwise groups are formed, so paths through them count as paths through kernels.
    /// </summary>
    private static List<List<Node>> BiasGradients(Graph g, Dictionary<Node, int> group, List<List<Node>> groups,
        Dictionary<Node, List<Node>> consumers, HashSet<Node> inDenseLayer, BackendCapabilities can)
    {
        var pairs = new List<List<Node>>();
        var partner = new Dictionary<Node, Node>();
        foreach (var sum in g.Nodes)
        {
            if (!IsColumnSum(sum) || group.ContainsKey(sum)) continue;
            var dy = sum.Inputs[0];
            foreach (var mm in consumers[dy])
            {
                if (!can.GemmTakesColumnSums(mm) || !ReadsAsUntransposedB(mm, dy) || inDenseLayer.Contains(mm) || partner.ContainsKey(mm)) continue;
                if (KernelPathExists(sum, mm, group, groups, partner, consumers) || KernelPathExists(mm, sum, group, groups, partner, consumers)) continue;
                pairs.Add(new List<Node> { mm, sum });
                partner[mm] = sum;
                partner[sum] = mm;
                break;
            }
        }
        return pairs;
    }

    /// <summary>A float32 sum of a 2-D value over axis 0, giving [n] or [1, n].</summary>
    private static bool IsColumnSum(Node s)
    {
        if (s.DType != DType.Float32 || s.Inputs.Count == 0 || s.Inputs[0].Shape.Rank != 2) return false;
        var n = s.Inputs[0].Shape[1];
        bool columnShape = s.Shape.Rank == 1 && s.Shape[0] == n
            || s.Shape.Rank == 2 && s.Shape[0].IsStatic && s.Shape[0].Size == 1 && s.Shape[1] == n;
        return s.Op switch
        {
            SumToLike => columnShape,
            ReduceSum => columnShape && s.Attrs.GetInts("axes").SequenceEqual(new[] { 0 }),
            _ => false,
        };
    }

    /// <summary>A matmul whose b operand is the 2-D <paramref name="b"/>, not transposed (so op(b) is b, [k, n]).</summary>
    private static bool ReadsAsUntransposedB(Node mm, Node b) =>
        mm.Inputs.Count == 2 && mm.Inputs[1] == b && b.Shape.Rank == 2 && !mm.Attrs.GetBool("transpose_b", false);

    /// <summary>
    /// True when a path leads from <paramref name="from"/>'s consumers to <paramref name="to"/>, where reaching
    /// any member of a multi-node kernel (an elementwise group, a pair formed earlier) reaches all of it.
    /// Dense-layer kernels need no such step: their members form a chain, so node paths already cover them.
    /// </summary>
    private static bool KernelPathExists(Node from, Node to, Dictionary<Node, int> group, List<List<Node>> groups,
        Dictionary<Node, Node> partner, Dictionary<Node, List<Node>> consumers) =>
        KernelPaths.Finds(consumers[from], x => x == to, consumers, group, groups, partner: partner);
}
