namespace GraphCompiler;

/// <summary>
/// Transformer layers with the variable names of Google's BERT checkpoints (docs/attention.md), under the
/// caller's variable scopes: <c>bert/encoder/layer_0/attention/self/query/kernel</c>.
/// </summary>
public static partial class Layers
{
    /// <summary>
    /// <see cref="Ops.LayerNormalization"/> over the last axis with variables <c>layer_normalization/gamma</c> [d]
    /// (ones) and <c>beta</c> [d] (zeros); the name defaults as Keras's (BERT's is <c>LayerNorm</c>).
    /// </summary>
    public static Tensor LayerNormalization(Tensor x, float epsilon = 1e-12f, string? name = null) => throw BuildTime.Only("Layers.LayerNormalization");

    /// <summary>
    /// Multi-head scaled dot-product attention of <paramref name="query"/> [batch, Tq, d] over
    /// <paramref name="value"/> [batch, Tk, dv] (keys are projected from value too), giving [batch, Tq, d]:
    /// Q, K, V projections to <paramref name="numHeads"/> heads of <paramref name="keyDim"/>, then
    /// <see cref="Ops.MaskedSoftmax"/> of Q·Kᵀ scaled by 1/√keyDim (with <paramref name="attentionMask"/>, 1 = attend,
    /// and <paramref name="causal"/>), dropout on the weights, the weighted values and the output projection.
    /// Variables: <c>attention/self/{query,key,value}/{kernel,bias}</c>, <c>attention/output/dense/{kernel,bias}</c>
    /// (kernels truncated normal with σ 0.02, biases zeros). Gradients: those of its ops.
    /// </summary>
    public static Tensor MultiHeadAttention(Tensor query, Tensor value, int numHeads, int keyDim,
        Tensor? attentionMask = null, bool causal = false, float dropout = 0f, string? name = null) => throw BuildTime.Only("Layers.MultiHeadAttention");

    /// <summary>
    /// The Transformer's position-wise feed-forward block: <c>Dense(Dense(x, intermediateSize, activation), d)</c>
    /// with dropout on the output, variables <c>intermediate/dense/…</c> and <c>output/dense/…</c> directly in the
    /// caller's scope (BERT's layout), or under <paramref name="name"/> when given.
    /// </summary>
    public static Tensor FeedForward(Tensor x, int intermediateSize, Activation activation = Activation.Gelu,
        float dropout = 0f, string? name = null) => throw BuildTime.Only("Layers.FeedForward");

    /// <summary>
    /// One Transformer encoder layer with BERT's names, <c>layer_0</c>, <c>layer_1</c>, … by default. Post-norm
    /// (BERT): <c>a = LN(x + Dropout(MHA(x, x, mask)))</c>, <c>y = LN(a + FFN(a))</c>; pre-norm:
    /// <c>a = x + Dropout(MHA(LN(x)))</c>, <c>y = a + FFN(LN(a))</c>. keyDim = d/numHeads; GELU in the FFN.
    /// </summary>
    public static Tensor TransformerEncoderLayer(Tensor x, Tensor? mask, int numHeads, int intermediateSize,
        bool preNorm = false, float dropout = 0f, float epsilon = 1e-12f, string? name = null) => throw BuildTime.Only("Layers.TransformerEncoderLayer");
}
