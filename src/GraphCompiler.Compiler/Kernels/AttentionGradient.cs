using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Kernels;

/// <summary>
/// Autodiff's gradient of an <see cref="AttentionChain"/> to its query, key and value, recognised from structure as
/// the gradient rules build it: dP = dO·Vᵀ and dV = Pᵀ·dO; through P = e / s the two terms dP / s and
/// broadcast(Σ −(dP·P) / s); through e = exp(x − max) the product with e (the maximum is behind a stop_gradient);
/// through the additive biases unchanged; through the scale the same constant factors; dQ = dS·K and dK = dSᵀ·Q.
/// What it computes is the fused attention backward's dQ, dK and dV, so a back end with that routine can run the
/// region as one call reading the forward's output instead of the softmax's exponentials, sums and probabilities.
/// </summary>
public sealed class AttentionGradient
{
    private AttentionGradient(AttentionChain forward, IReadOnlyList<Node> members, Node outputGrad, Node queryGrad, Node keyGrad, Node valueGrad)
    {
        Forward = forward;
        Members = members;
        OutputGrad = outputGrad;
        QueryGrad = queryGrad;
        KeyGrad = keyGrad;
        ValueGrad = valueGrad;
    }

    public AttentionChain Forward { get; }

    /// <summary>The region's nodes in graph order, from dP to the three gradients.</summary>
    public IReadOnlyList<Node> Members { get; }

    /// <summary>dO, the gradient arriving at the chain's output (read, not a member).</summary>
    public Node OutputGrad { get; }

    public Node QueryGrad { get; }

    public Node KeyGrad { get; }

    public Node ValueGrad { get; }

    /// <summary>The members a fused call would not store: every one but dQ, dK and dV.</summary>
    public IEnumerable<Node> Intermediates => Members.Where(m => m != QueryGrad && m != KeyGrad && m != ValueGrad);

    /// <summary>The gradient of <paramref name="forward"/> in the graph that <paramref name="readers"/> describes, or null when autodiff's region is not there whole.</summary>
    public static AttentionGradient? Match(AttentionChain forward, Func<Node, IReadOnlyList<Node>> readers)
    {
        var (p, e, s) = (forward.Probabilities, forward.Exps, forward.Sums);
        var dV = readers(p).FirstOrDefault(r => IsProduct(r, transposeA: true, transposeB: false) && r.Inputs[0] == p && r.Inputs[1] != p);
        if (dV is null) return null;
        var dO = dV.Inputs[1];
        var dP = readers(dO).FirstOrDefault(r => IsProduct(r, transposeA: false, transposeB: true) && r.Inputs[0] == dO && r.Inputs[1] == forward.Value);
        if (dP is null || readers(dP).Count != 2) return null;
        var direct = readers(dP).FirstOrDefault(r => r.Op is Div && r.Inputs[0] == dP && r.Inputs[1] == s);
        var weighted = readers(dP).FirstOrDefault(r => r.Op is Mul && Reads(r, dP, p));
        var ratio = weighted is null ? null : Only(readers, weighted, r => r.Op is Div && r.Inputs[0] == weighted && r.Inputs[1] == s);
        var negated = ratio is null ? null : Only(readers, ratio, r => r.Op is Neg);
        if (negated is null || direct is null) return null;
        var members = new List<Node> { dP, dV, direct, weighted!, ratio!, negated };
        // The row sum and its broadcast back over the keys; with one key the passes drop both as identities.
        var spread = negated;
        if (Only(readers, spread, r => r.Op is SumToLike && r.Inputs[1] == s) is { } rowSum) members.Add(spread = rowSum);
        if (Only(readers, spread, r => r.Op is BroadcastLike && r.Inputs[1] == e) is { } broadcast) members.Add(spread = broadcast);
        var total = Only(readers, spread, r => r.Op is Add && Reads(r, direct, spread));
        var dx = total is null || readers(direct).Count != 1 ? null : Only(readers, total, r => r.Op is Mul && Reads(r, total, e));
        if (dx is null) return null;
        members.AddRange(new[] { total!, dx });
        // The biases pass the gradient unchanged; the scale's constant factors come back in the same product.
        double scale = 1;
        var dS = dx;
        while (readers(dS) is { Count: 1 } only && only[0].Op is Mul && only[0].Inputs.Count(i => i == dS) == 1
            && Constant.SplatValue(only[0].Inputs[0] == dS ? only[0].Inputs[1] : only[0].Inputs[0]) is { } factor)
        {
            scale *= factor;
            dS = only[0];
            members.Add(dS);
        }
        if (Math.Abs(scale - forward.Scale) > 1e-6 * Math.Abs(forward.Scale) || readers(dS).Count != 2) return null;
        var dQ = readers(dS).FirstOrDefault(r => IsProduct(r, transposeA: false, transposeB: false) && r.Inputs[0] == dS && r.Inputs[1] == forward.Key);
        var dK = readers(dS).FirstOrDefault(r => IsProduct(r, transposeA: true, transposeB: false) && r.Inputs[0] == dS && r.Inputs[1] == forward.Query);
        if (dQ is null || dK is null) return null;
        members.AddRange(new[] { dQ, dK });
        members.Sort((a, b) => a.Id.CompareTo(b.Id));
        return new AttentionGradient(forward, members, dO, dQ, dK, dV);
    }

    /// <summary>
    /// True when the region can be replaced by one call: no intermediate is a graph output or read outside the region,
    /// and the forward's exponentials, sums and probabilities are read by nothing but the forward chain and the region,
    /// so the forward then stores only its output (and the row statistics the call needs).
    /// </summary>
    public bool IsClosed(Func<Node, IReadOnlyList<Node>> readers, ISet<Node> outputs)
    {
        var inside = new HashSet<Node>(Members.Concat(Forward.Members));
        return Intermediates.All(m => !outputs.Contains(m) && readers(m).All(inside.Contains))
            && new[] { Forward.Exps, Forward.Sums, Forward.Probabilities }.All(piece => !outputs.Contains(piece) && readers(piece).All(inside.Contains));
    }

    private static Node? Only(Func<Node, IReadOnlyList<Node>> readers, Node n, Func<Node, bool> test) =>
        readers(n) is { Count: 1 } only && test(only[0]) ? only[0] : null;

    private static bool Reads(Node n, Node a, Node b) => n.Inputs.Count == 2 && (n.Inputs[0] == a && n.Inputs[1] == b || n.Inputs[0] == b && n.Inputs[1] == a);

    private static bool IsProduct(Node n, bool transposeA, bool transposeB) =>
        n.Op is MatMul && n.Attrs.GetBool("transpose_a", false) == transposeA && n.Attrs.GetBool("transpose_b", false) == transposeB && !MatMul.ContractsBatch(n.Attrs);
}
