using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops.Composites;

/// <summary>
/// The Transformer's composites (docs/attention.md): layer normalization, the masked softmax of attention
/// logits, scaled dot-product and multi-head attention, the sinusoidal positional encoding and the masked
/// LM loss. Built from primitives, so their gradients come from the primitives' rules and the row fusion
/// turns the layer normalization and the masked softmax into row kernels.
/// </summary>
public static class Attention
{
    /// <summary>The additive logit of a masked key: small enough that its exponential is 0 next to any unmasked key.</summary>
    public const double MaskedLogit = -1e9;

    /// <summary>γ·(x − μ)/√(σ² + ε) + β over the last axis, γ and β [d].</summary>
    public static Node LayerNormalization(GraphBuilder g, Node x, Node gamma, Node beta, double epsilon)
    {
        const string op = "layer_normalization";
        using var scope = g.NameScope(op);
        MathComposites.RequireFloat(x, op);
        if (x.Shape.Rank < 1 || !x.Shape[x.Shape.Rank - 1].IsStatic)
            throw new ShapeException($"{op}: the input needs a static last axis, got {x.Shape}");
        var d = x.Shape[x.Shape.Rank - 1];
        foreach (var (name, v) in new[] { ("gamma", gamma), ("beta", beta) })
            if (v.Shape.Rank != 1 || v.Shape[0] != d || v.DType != x.DType)
                throw new ShapeException($"{op}: {name} must be {x.DType.ShortName()}[{d}] (one value per feature of {x.Shape}), got {v.DType.ShortName()}{v.Shape}");
        if (!(epsilon > 0)) throw new ShapeException($"{op}: epsilon must be positive, got {epsilon}");
        var last = new[] { x.Shape.Rank - 1 };
        var centered = g.Sub(x, MathComposites.Mean(g, x, last, keepDims: true));
        var variance = MathComposites.Mean(g, g.Apply("square", new[] { centered }), last, keepDims: true);
        var normalized = g.Mul(centered, g.Apply("rsqrt", new[] { g.Add(variance, g.Constant(epsilon, x.DType)) }));
        return g.Add(g.Mul(normalized, gamma), beta);
    }

    /// <summary>
    /// softmax(scale·logits + (1 − mask)·(−1e9)) over the last axis, plus −1e9 on key j &gt; query i when
    /// <paramref name="causal"/>. A mask of rank 2 is a padding mask [batch, Tk] and one of rank 3 (under
    /// rank-4 logits) Keras's [batch, Tq, Tk]: both get unit axes after the batch so that they broadcast over
    /// heads (and queries); any other mask must broadcast to the logits as it is.
    /// </summary>
    public static Node MaskedSoftmax(GraphBuilder g, Node logits, Node? mask, double scale, bool causal)
    {
        const string op = "masked_softmax";
        using var scope = g.NameScope(op);
        MathComposites.RequireFloat(logits, op);
        int rank = logits.Shape.Rank;
        if (rank < 2) throw new ShapeException($"{op}: the logits need a query axis and a key axis, got {logits.Shape}");
        var x = scale == 1 ? logits : g.Mul(logits, g.Constant(scale, logits.DType));
        if (mask is not null)
        {
            var m = Cast.Apply(g, mask, logits.DType);
            if (m.Shape.Rank >= 2 && m.Shape.Rank < rank && m.Shape.Rank <= 3)
            {
                // [batch, Tk] → [batch, 1, …, 1, Tk]; [batch, Tq, Tk] → [batch, 1, …, Tq, Tk].
                var kept = m.Shape.Skip(1).ToList();
                var dims = new List<Dim> { m.Shape[0] };
                dims.AddRange(Enumerable.Repeat(Dim.Of(1), rank - m.Shape.Rank));
                dims.AddRange(kept);
                m = g.Apply("reshape", new[] { m }, Attrs.Of(("shape", new Shape(dims))));
            }
            Broadcasting.Shapes(m.Shape, logits.Shape, op + " (mask and logits)");
            x = g.Add(x, g.Mul(g.Sub(g.Constant(1, logits.DType), m), g.Constant(MaskedLogit, logits.DType)));
        }
        if (causal)
        {
            Dim tq = logits.Shape[rank - 2], tk = logits.Shape[rank - 1];
            if (!tq.IsStatic || !tk.IsStatic) throw new ShapeException($"{op}: a causal mask needs static query and key lengths, got {logits.Shape}");
            var band = new double[tq.Size * tk.Size];
            for (int i = 0; i < tq.Size; i++)
                for (int j = i + 1; j < tk.Size; j++) band[i * tk.Size + j] = MaskedLogit;
            x = g.Add(x, g.Constant(band, Shape.Of(tq.Size, tk.Size), logits.DType));
        }
        return MathComposites.Softmax(g, x, -1);
    }

    /// <summary>MaskedSoftmax(q·kᵀ, mask, 1/√dk, causal)·v over the last two axes.</summary>
    public static Node ScaledDotProduct(GraphBuilder g, Node q, Node k, Node v, Node? mask, bool causal, double dropout = 0)
    {
        const string op = "scaled_dot_product_attention";
        using var scope = g.NameScope(op);
        if (q.Shape.Rank < 2 || !q.Shape[q.Shape.Rank - 1].IsStatic)
            throw new ShapeException($"{op}: the query needs a static depth on its last axis, got {q.Shape}");
        var logits = g.Apply("matmul", new[] { q, k }, MatMul.Flags(false, true));
        var weights = MaskedSoftmax(g, logits, mask, 1 / Math.Sqrt(q.Shape[q.Shape.Rank - 1].Size), causal);
        if (dropout > 0) weights = MathComposites.Dropout(g, weights, dropout, null);
        return g.Apply("matmul", new[] { weights, v }, MatMul.Flags(false, false));
    }

    /// <summary>The projections of multi-head attention: a kernel [in, out] and a bias [out] each.</summary>
    public sealed record Projections(Node QueryKernel, Node QueryBias, Node KeyKernel, Node KeyBias, Node ValueKernel, Node ValueBias, Node OutputKernel, Node OutputBias);

    /// <summary>
    /// Multi-head attention of <paramref name="query"/> [batch, Tq, d] over <paramref name="value"/> [batch, Tk, dv]:
    /// the projections, heads split to [batch, h, T, k], scaled dot-product attention, heads merged and the
    /// output projection, [batch, Tq, d_out]. Name scopes follow BERT's (<c>self</c>, <c>output</c>).
    /// </summary>
    public static Node MultiHead(GraphBuilder g, Node query, Node value, Projections w, int numHeads, int keyDim, Node? mask, bool causal, double dropout)
    {
        const string op = "multi_head_attention";
        if (query.Shape.Rank != 3 || value.Shape.Rank != 3)
            throw new ShapeException($"{op}: query and value must be [batch, length, features], got {query.Shape} and {value.Shape}");
        Node heads;
        using (g.NameScope("self"))
        {
            Node Split(Node x, Node kernel, Node bias, string name)
            {
                using var s = g.NameScope(name);
                var projected = Dense(g, x, kernel, bias);
                var shaped = g.Apply("reshape", new[] { projected }, Attrs.Of(("shape", new Shape(new[] { x.Shape[0], x.Shape[1], Dim.Of(numHeads), Dim.Of(keyDim) }))));
                return g.Apply("transpose", new[] { shaped }, Attrs.Of(("perm", new[] { 0, 2, 1, 3 })));
            }
            var q = Split(query, w.QueryKernel, w.QueryBias, "query");
            var k = Split(value, w.KeyKernel, w.KeyBias, "key");
            var v = Split(value, w.ValueKernel, w.ValueBias, "value");
            heads = ScaledDotProduct(g, q, k, v, mask, causal, dropout);
        }
        using (g.NameScope("output"))
        {
            var merged = g.Apply("transpose", new[] { heads }, Attrs.Of(("perm", new[] { 0, 2, 1, 3 })));
            merged = g.Apply("reshape", new[] { merged }, Attrs.Of(("shape", new Shape(new[] { query.Shape[0], query.Shape[1], Dim.Of(numHeads * keyDim) }))));
            using var dense = g.NameScope("dense");
            return Dense(g, merged, w.OutputKernel, w.OutputBias);
        }
    }

    /// <summary>x·kernel + bias over the last axis of x (a batched product with the kernel shared across the leading axes).</summary>
    public static Node Dense(GraphBuilder g, Node x, Node kernel, Node? bias)
    {
        var y = g.Apply("matmul", new[] { x, kernel }, MatMul.Flags(false, false));
        return bias is null ? y : g.Add(y, bias);
    }

    /// <summary>The Transformer tutorial's sinusoid: PE[p, 2i] = sin(p/10000^(2i/depth)), PE[p, 2i+1] = cos(same angle).</summary>
    public static Node PositionalEncoding(GraphBuilder g, int length, int depth)
    {
        if (length < 1 || depth < 1) throw new ShapeException($"positional_encoding: length and depth must be at least 1, got {length} and {depth}");
        var table = new double[(long)length * depth];
        for (int p = 0; p < length; p++)
            for (int i = 0; i < depth; i++)
            {
                double angle = p / Math.Pow(10000, 2 * (i / 2) / (double)depth);
                table[(long)p * depth + i] = i % 2 == 0 ? Math.Sin(angle) : Math.Cos(angle);
            }
        return g.Constant(table, Shape.Of(length, depth), DType.Float32);
    }

    /// <summary>
    /// The masked LM loss: Σ w·L / max(Σ w, 1e-12) with L the per-position sparse cross-entropy and w = 1 where
    /// the label is a class other than <paramref name="ignoreLabel"/>, times <paramref name="mask"/> when given.
    /// An ignored position's L is 0 already (its one-hot row is empty) and its weight 0, so neither the loss
    /// nor any gradient sees its logits.
    /// </summary>
    public static Node MaskedSparseSoftmaxCrossEntropy(GraphBuilder g, Node labels, Node logits, Node? mask, long ignoreLabel)
    {
        const string op = "masked_sparse_softmax_cross_entropy";
        using var scope = g.NameScope(op);
        var perPosition = MathComposites.SparseSoftmaxCrossEntropyWithLogits(g, labels, logits);
        if (mask is not null && !mask.Shape.Equals(labels.Shape))
            throw new ShapeException($"{op}: the mask must have the labels' shape {labels.Shape}, got {mask.Shape}");
        int classes = logits.Shape[logits.Shape.Rank - 1].Size;
        Node Compare(string cmp, double v) => g.Apply(cmp, new[] { labels, g.Constant(v, labels.DType) });
        var counted = g.Apply("logical_and", new[] { Compare("greater_equal", 0), Compare("less", classes) });
        if (ignoreLabel >= 0 && ignoreLabel < classes) counted = g.Apply("logical_and", new[] { counted, Compare("not_equal", ignoreLabel) });
        var weight = Cast.Apply(g, counted, logits.DType);
        if (mask is not null) weight = g.Mul(weight, Cast.Apply(g, mask, logits.DType));
        return MathComposites.MaskedMean(g, perPosition, weight);
    }
}
