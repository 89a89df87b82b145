using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Kernels;

/// <summary>
/// Scaled dot-product attention as the composites build it (<c>Ops.Composites.Attention.ScaledDotProduct</c>):
/// scores = Q·Kᵀ batched over the leading axes, times a constant scale, plus additive biases that broadcast to
/// the scores (a padding mask's −1e9 term, a causal band), a softmax over the keys (max, shift, exp, sum, divide)
/// and the probabilities times V. Recognised from structure only, so that a back end that has a fused attention
/// routine can run the chain as one kernel; <see cref="BackendCapabilities.FusesAttention"/> says whether it does.
/// </summary>
public sealed class AttentionChain
{
    private AttentionChain(IReadOnlyList<Node> members, Node scores, Node output, double scale, IReadOnlyList<Node> biases, Node max, Node exps, Node sums, Node probabilities)
    {
        Max = max;
        Members = members;
        Scores = scores;
        Output = output;
        Scale = scale;
        Biases = biases;
        Exps = exps;
        Sums = sums;
        Probabilities = probabilities;
    }

    /// <summary>The chain's nodes in graph order, from the scores' product to the output's.</summary>
    public IReadOnlyList<Node> Members { get; }

    /// <summary>Q·Kᵀ, the first product.</summary>
    public Node Scores { get; }

    /// <summary>softmax(…)·V, the second product.</summary>
    public Node Output { get; }

    public Node Query => Scores.Inputs[0];

    public Node Key => Scores.Inputs[1];

    public Node Value => Output.Inputs[1];

    /// <summary>The product of the constant factors applied to the scores before any bias.</summary>
    public double Scale { get; }

    /// <summary>The values added to the scaled scores, each broadcasting to the scores' shape.</summary>
    public IReadOnlyList<Node> Biases { get; }

    /// <summary>max x per row (keepdims), the shift of the softmax's exponents.</summary>
    public Node Max { get; }

    /// <summary>exp(x − max x) per row, the softmax's numerators.</summary>
    public Node Exps { get; }

    /// <summary>Σ exp per row (keepdims), the softmax's denominators.</summary>
    public Node Sums { get; }

    /// <summary>The attention weights, numerators over denominators.</summary>
    public Node Probabilities { get; }

    /// <summary>The members whose values a fused routine can store besides the output: the softmax's pieces, which a train step's backward reads (the fused backward only the row maxima and sums).</summary>
    public IEnumerable<Node> Storable => new[] { Output, Max, Exps, Sums, Probabilities };

    /// <summary>
    /// The chain that starts at <paramref name="scores"/>, or null when it is not one. <paramref name="readers"/>
    /// gives the nodes that read a value: every intermediate up to the shifted logits must have exactly the chain's
    /// readers (a value read elsewhere too is the caller's to judge for the softmax's pieces).
    /// </summary>
    public static AttentionChain? Match(Node scores, Func<Node, IReadOnlyList<Node>> readers)
    {
        if (!IsProduct(scores, transposeB: true) || scores.DType != DType.Float32 || scores.Shape.Rank < 3) return null;
        var space = scores.Shape;
        if (!MatMul.BatchShape(scores.Inputs[0].Shape).Equals(MatMul.BatchShape(space)) || !MatMul.BatchShape(scores.Inputs[1].Shape).Equals(MatMul.BatchShape(space))) return null;
        var members = new List<Node> { scores };
        var biases = new List<Node>();
        double scale = 1;
        var x = scores;
        while (readers(x) is { Count: 1 } only && only[0] is var next && next.Shape.Equals(space) && next.Inputs.Count == 2 && next.Inputs.Count(i => i == x) == 1)
        {
            var other = next.Inputs[0] == x ? next.Inputs[1] : next.Inputs[0];
            if (next.Op is Mul && biases.Count == 0 && Constant.SplatValue(other) is { } factor) scale *= factor;
            else if (next.Op is Add && Constant.SplatValue(other) is null && other.DType == DType.Float32 && (other.Shape.Equals(space) || RowFusion.IsStridedRows(other.Shape, space))) biases.Add(other);
            else break;
            members.Add(next);
            x = next;
        }
        // softmax(x) = exp(x − max x) / Σ exp(x − max x), the maximum possibly behind a stop_gradient.
        var logitReaders = readers(x);
        var max = logitReaders.FirstOrDefault(r => r.Op is ReduceMax && IsLastAxisKeepDims(r, space));
        var shift = logitReaders.FirstOrDefault(r => r.Op is Sub && r.Inputs[0] == x);
        if (max is null || shift is null || logitReaders.Count != 2) return null;
        var held = readers(max) is { Count: 1 } m && m[0].Op is StopGradient ? m[0] : null;
        if (shift.Inputs[1] != (held ?? max) || readers(held ?? max).Count != 1 || readers(shift) is not { Count: 1 } s || s[0].Op is not Exp) return null;
        var exps = s[0];
        var sums = readers(exps).FirstOrDefault(r => r.Op is ReduceSum && IsLastAxisKeepDims(r, space));
        var probabilities = sums is null ? null : readers(exps).FirstOrDefault(r => r.Op is Div && r.Inputs[0] == exps && r.Inputs[1] == sums);
        var output = probabilities is null ? null : readers(probabilities).FirstOrDefault(r => IsProduct(r, transposeB: false) && r.Inputs[0] == probabilities && r.Inputs[1] != probabilities);
        if (output is null || !MatMul.BatchShape(output.Inputs[1].Shape).Equals(MatMul.BatchShape(space))) return null;
        members.AddRange(new[] { max, held, shift, exps, sums, probabilities, output }.OfType<Node>());
        members.Sort((a, b) => a.Id.CompareTo(b.Id));
        return new AttentionChain(members, scores, output, scale, biases, max, exps, sums!, probabilities!);
    }

    /// <summary>The chain a fused kernel's members form (readers taken inside the members).</summary>
    public static AttentionChain Of(IReadOnlyList<Node> members)
    {
        var set = new HashSet<Node>(members);
        var chain = Match(members[0], n => members.Where(m => RowFusion.ReadInputs(m).Contains(n)).ToList());
        if (chain is null || chain.Members.Count != set.Count || !chain.Members.All(set.Contains))
            throw new InvalidOperationException($"{members[0].Name}: the members of an attention kernel do not form one attention chain");
        return chain;
    }

    /// <summary>A batched product op(A)·op(B) with A not transposed and B transposed as asked, no batch contraction.</summary>
    private static bool IsProduct(Node n, bool transposeB) =>
        n.Op is MatMul && !n.Attrs.GetBool("transpose_a", false) && n.Attrs.GetBool("transpose_b", false) == transposeB && !MatMul.ContractsBatch(n.Attrs);

    private static bool IsLastAxisKeepDims(Node r, Shape space) =>
        r.Inputs[0].Shape.Equals(space) && r.Attrs.GetInts("axes") is { Length: 1 } axes && axes[0] == space.Rank - 1 && r.Shape.Equals(RowFusion.RowValueShape(space));
}
