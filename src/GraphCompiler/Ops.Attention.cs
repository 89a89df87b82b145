namespace GraphCompiler;

/// <summary>Attention, layer normalization, positional encoding and the masked LM loss (docs/attention.md).</summary>
public static partial class Ops
{
    /// <summary>
    /// Layer normalization over the last axis: <c>y = γ·(x − μ)/√(σ² + ε) + β</c>, μ and σ² the mean and biased
    /// variance of each row, γ and β of shape [d] (d = the last dimension of x, static).
    /// Gradient: <c>dx = (γ·dy − mean(γ·dy) − x̂·mean(γ·dy·x̂))/√(σ² + ε)</c>, <c>dγ = Σ dy·x̂</c>, <c>dβ = Σ dy</c>
    /// (sums over every axis but the last).
    /// </summary>
    public static Tensor LayerNormalization(Tensor x, Tensor gamma, Tensor beta, float epsilon = 1e-12f) => throw BuildTime.Only("Ops.LayerNormalization");

    /// <summary>
    /// <c>softmax(scale·logits + (1 − mask)·(−1e9))</c> over the last axis: mask is 1 (or true) where a key may be
    /// attended and 0 where not (Keras's and BERT's convention), shaped [batch, Tk] (a padding mask), [batch, Tq, Tk],
    /// or any shape that broadcasts to the logits. <paramref name="causal"/> also masks key j &gt; query i of the last
    /// two axes. A masked key gets weight 0 while its row has an unmasked key.
    /// Gradient: <c>dlogits = scale·p·(dy − Σ dy·p)</c>; none to the mask.
    /// </summary>
    public static Tensor MaskedSoftmax(Tensor logits, Tensor? mask = null, float scale = 1f, bool causal = false) => throw BuildTime.Only("Ops.MaskedSoftmax");

    /// <summary>
    /// <c>MaskedSoftmax(q·kᵀ, mask, 1/√dk, causal)·v</c> over the last two axes (any leading batch and head axes):
    /// q [..., Tq, dk], k [..., Tk, dk], v [..., Tk, dv] give [..., Tq, dv]. Gradients: those of the two matrix
    /// products and the masked softmax.
    /// </summary>
    public static Tensor ScaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor? mask = null, bool causal = false) =>
        throw BuildTime.Only("Ops.ScaledDotProductAttention");

    /// <summary>
    /// The Transformer's sinusoidal positional encoding, a float32 constant [length, depth]:
    /// <c>PE[p, 2i] = sin(p/10000^(2i/depth))</c>, <c>PE[p, 2i+1] = cos(p/10000^(2i/depth))</c>. No gradient (a constant).
    /// </summary>
    public static Tensor PositionalEncoding(int length, int depth) => throw BuildTime.Only("Ops.PositionalEncoding");

    /// <summary>
    /// The masked LM loss: the mean of <see cref="SparseSoftmaxCrossEntropyWithLogits"/> over the counted positions,
    /// <c>Σ w·L / max(Σ w, 1e-12)</c>, a scalar. A position counts (w = 1) when its label is in [0, classes) and is
    /// not <paramref name="ignoreLabel"/> (−100, PyTorch's <c>ignore_index</c>); a <paramref name="mask"/> of the
    /// labels' shape also weighs it (0 = ignored, BERT's <c>masked_lm_weights</c>). Ignored positions contribute
    /// nothing to the loss or any gradient. Gradient: <c>dlogits = dL·w·(softmax(logits) − onehot(label))/Σ w</c>.
    /// </summary>
    public static Tensor MaskedSparseSoftmaxCrossEntropy(Tensor labels, Tensor logits, Tensor? mask = null, int ignoreLabel = -100) =>
        throw BuildTime.Only("Ops.MaskedSparseSoftmaxCrossEntropy");
}
