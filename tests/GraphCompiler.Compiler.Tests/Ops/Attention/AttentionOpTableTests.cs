using GraphCompiler.Compiler.IR;
using AttentionOps = GraphCompiler.Compiler.Ops.Composites.Attention;
using Case = GraphCompiler.Compiler.Tests.Ops.OpTableTests.Case;

namespace GraphCompiler.Compiler.Tests.Ops.Attention;

/// <summary>
/// Finite-difference gradient rows of the Transformer's composites in double precision: layer normalization
/// (one feature, odd widths, rank 3), the masked softmax (padding masks with masked keys, a Keras-style
/// [batch, Tq, Tk] mask, causal, one key), scaled dot-product and multi-head attention, and the masked LM loss
/// with ignored and out-of-range labels and a weight mask.
/// </summary>
public class AttentionOpTableTests
{
    private static int[] S(params int[] dims) => dims;

    private static Node Floats(GraphBuilder b, double[] values, params int[] shape) => b.Constant(values, Shape.Of(shape), DType.Float64);

    private static Node Ints(GraphBuilder b, int[] values, params int[] shape) =>
        b.Constant(values.Select(v => (double)v).ToArray(), Shape.Of(shape), DType.Int32);

    public static readonly Case[] Cases =
    {
        new("layer_normalization", new[] { S(3, 5), S(5), S(5) }, (b, x) => AttentionOps.LayerNormalization(b, x[0], x[1], x[2], 1e-3)),
        new("layer_normalization_rank3_odd", new[] { S(2, 3, 7), S(7), S(7) }, (b, x) => AttentionOps.LayerNormalization(b, x[0], x[1], x[2], 1e-12)),
        // One feature: x̂ = 0, so only β carries a gradient (γ's is 0 both ways).
        new("layer_normalization_one_feature", new[] { S(4, 1), S(1), S(1) }, (b, x) => AttentionOps.LayerNormalization(b, x[0], x[1], x[2], 1e-3)),
        new("layer_normalization_one_row", new[] { S(1, 2), S(2), S(2) }, (b, x) => AttentionOps.LayerNormalization(b, x[0], x[1], x[2], 1e-3)),
        new("masked_softmax_no_mask_scaled", new[] { S(2, 3, 5) }, (b, x) => AttentionOps.MaskedSoftmax(b, x[0], null, 0.5, false)),
        new("masked_softmax_padding_mask", new[] { S(2, 2, 3, 4) },
            (b, x) => AttentionOps.MaskedSoftmax(b, x[0], Floats(b, new double[] { 1, 1, 0, 1, 1, 0, 0, 0 }, 2, 4), 0.7, false)),
        new("masked_softmax_keras_mask_rank3", new[] { S(2, 3, 3) },
            (b, x) => AttentionOps.MaskedSoftmax(b, x[0], Floats(b, new double[] { 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1, 1 }, 2, 3, 3), 1, false)),
        new("masked_softmax_causal_with_padding", new[] { S(1, 2, 4, 4) },
            (b, x) => AttentionOps.MaskedSoftmax(b, x[0], Floats(b, new double[] { 1, 1, 1, 0 }, 1, 4), 1, true)),
        new("masked_softmax_one_key", new[] { S(3, 1) }, (b, x) => AttentionOps.MaskedSoftmax(b, x[0], null, 1, true)),
        new("scaled_dot_product_attention", new[] { S(2, 3, 4), S(2, 5, 4), S(2, 5, 3) },
            (b, x) => AttentionOps.ScaledDotProduct(b, x[0], x[1], x[2], Floats(b, new double[] { 1, 1, 1, 0, 0, 1, 0, 1, 1, 1 }, 2, 5), false)),
        new("multi_head_attention", new[] { S(2, 3, 4), S(2, 5, 3), S(4, 6), S(6), S(3, 6), S(6), S(3, 6), S(6), S(6, 4), S(4) },
            (b, x) => AttentionOps.MultiHead(b, x[0], x[1], new AttentionOps.Projections(x[2], x[3], x[4], x[5], x[6], x[7], x[8], x[9]), 2, 3,
                Floats(b, new double[] { 1, 1, 0, 1, 0, 1, 1, 1, 1, 1 }, 2, 5), causal: false, dropout: 0), Low: -1, High: 1),
        new("multi_head_attention_one_head_causal", new[] { S(1, 3, 2), S(2, 2), S(2), S(2, 2), S(2), S(2, 2), S(2), S(2, 2), S(2) },
            (b, x) => AttentionOps.MultiHead(b, x[0], x[0], new AttentionOps.Projections(x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8]), 1, 2,
                null, causal: true, dropout: 0), Low: -1, High: 1),
        // Labels: classes, the ignore label −100 and 7 (out of range for 5 classes): the mean is over the three counted positions.
        new("masked_sparse_softmax_cross_entropy", new[] { S(2, 3, 5) },
            (b, x) => AttentionOps.MaskedSparseSoftmaxCrossEntropy(b, Ints(b, new[] { 0, -100, 4, 7, 2, -100 }, 2, 3), x[0], null, -100)),
        new("masked_sparse_softmax_cross_entropy_weights", new[] { S(4, 3) },
            (b, x) => AttentionOps.MaskedSparseSoftmaxCrossEntropy(b, Ints(b, new[] { 0, 1, 2, 1 }, 4), x[0], Floats(b, new double[] { 1, 0, 0.5, 1 }, 4), -100)),
    };

    public static IEnumerable<object[]> CaseNames => Cases.Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void GradientMatchesFiniteDifferences(string name) => OpTableTests.CheckGradient(Cases.Single(k => k.Name == name));
}
