using GraphCompiler.Compiler.IR;
using GraphCompiler.Generator.Tests.Harness;

namespace GraphCompiler.Generator.Tests.Lowering;

/// <summary>The Transformer layers: BERT's variable names, shapes and initializers, and their mistakes as diagnostics at the argument.</summary>
public class AttentionLoweringTests
{
    private static string WithLayers(string members) => "using static GraphCompiler.Layers;\n" + Expect.InModel(members);

    private static Compiler.Model.ModelDefinition Model(string members)
    {
        var run = GeneratorHarness.Run(WithLayers(members));
        Assert.Empty(run.Errors);
        return Compiler.Model.ModelDefinition.Parse(run.ModelText);
    }

    private static string Describe(VariableInfo v) => $"{v.Name} {v.Shape} {v.Init.Kind} {v.Init.B}";

    [Fact]
    public void EncoderLayersTakeBertsNamesUnderTheCallersScopes()
    {
        var model = Model("""
            static Tensor F([Shape("batch", 7, 8)] Tensor x, [Shape("batch", 7)] Tensor mask)
            {
                using var _ = VariableScope("encoder");
                for (int i = 0; i < 2; i++) x = TransformerEncoderLayer(x, mask, numHeads: 2, intermediateSize: 12);
                return x;
            }
            """);
        var layer0 = model.Variables.Where(v => v.Name.StartsWith("encoder/layer_0/", StringComparison.Ordinal)).Select(Describe);
        Assert.Equal(new[]
        {
            "encoder/layer_0/attention/self/query/kernel [8, 8] truncated_normal 0.02", "encoder/layer_0/attention/self/query/bias [8] zeros 0",
            "encoder/layer_0/attention/self/key/kernel [8, 8] truncated_normal 0.02", "encoder/layer_0/attention/self/key/bias [8] zeros 0",
            "encoder/layer_0/attention/self/value/kernel [8, 8] truncated_normal 0.02", "encoder/layer_0/attention/self/value/bias [8] zeros 0",
            "encoder/layer_0/attention/output/dense/kernel [8, 8] truncated_normal 0.02", "encoder/layer_0/attention/output/dense/bias [8] zeros 0",
            "encoder/layer_0/attention/output/LayerNorm/gamma [8] ones 0", "encoder/layer_0/attention/output/LayerNorm/beta [8] zeros 0",
            "encoder/layer_0/intermediate/dense/kernel [8, 12] truncated_normal 0.02", "encoder/layer_0/intermediate/dense/bias [12] zeros 0",
            "encoder/layer_0/output/dense/kernel [12, 8] truncated_normal 0.02", "encoder/layer_0/output/dense/bias [8] zeros 0",
            "encoder/layer_0/output/LayerNorm/gamma [8] ones 0", "encoder/layer_0/output/LayerNorm/beta [8] zeros 0",
        }, layer0);
        Assert.Equal(16, model.Variables.Count(v => v.Name.StartsWith("encoder/layer_1/", StringComparison.Ordinal)));
        Assert.Equal("[batch, 7, 8]", model.Entries[0].Graph.Result().Shape.ToString());
    }

    [Fact]
    public void AttentionProjectsKeysAndValuesFromTheValueAndBackToTheQuerysWidth()
    {
        var model = Model("""
            static Tensor F([Shape("batch", 4, 6)] Tensor q, [Shape("batch", 5, 3)] Tensor v) => MultiHeadAttention(q, v, numHeads: 2, keyDim: 5, causal: false);
            """);
        Assert.Equal(new[]
        {
            "attention/self/query/kernel [6, 10]", "attention/self/query/bias [10]", "attention/self/key/kernel [3, 10]", "attention/self/key/bias [10]",
            "attention/self/value/kernel [3, 10]", "attention/self/value/bias [10]", "attention/output/dense/kernel [10, 6]", "attention/output/dense/bias [6]",
        }, model.Variables.Select(v => $"{v.Name} {v.Shape}"));
        Assert.Equal("[batch, 4, 6]", model.Entries[0].Graph.Result().Shape.ToString());
    }

    [Fact]
    public void LayerNormalizationIsNamedAsKerasOrGiven()
    {
        var model = Model("""
            static Tensor F([Shape(3, 5)] Tensor x) => LayerNormalization(LayerNormalization(x), name: "LayerNorm");
            """);
        Assert.Equal(new[] { "layer_normalization/gamma", "layer_normalization/beta", "LayerNorm/gamma", "LayerNorm/beta" }, model.Variables.Select(v => v.Name));
    }

    [Fact]
    public void AHiddenSizeThatHeadsDoNotDivideIsGC0200AtNumHeads()
    {
        Expect.Diagnostic(WithLayers("""
            static Tensor F([Shape(2, 3, 10)] Tensor x) => TransformerEncoderLayer(x, null, numHeads: [|3|], intermediateSize: 8);
            """), "GC0200");
    }

    [Fact]
    public void AttentionOverAMatrixIsGC0200()
    {
        Expect.Diagnostic(WithLayers("""
            static Tensor F([Shape(2, 6)] Tensor x) => [|MultiHeadAttention(x, x, 2, 3)|];
            """), "GC0200");
    }

    [Fact]
    public void AMaskThatDoesNotBroadcastIsGC0200()
    {
        Expect.Diagnostic(WithLayers("""
            static Tensor F([Shape(2, 4, 6)] Tensor x, [Shape(2, 5)] Tensor mask) => [|MultiHeadAttention(x, x, 2, 3, attentionMask: mask)|];
            """), "GC0200");
    }

    [Fact]
    public void AMaskedLmLossWhoseMaskIsNotTheLabelsShapeIsGC0200()
    {
        Expect.Diagnostic(WithLayers("""
            static Tensor F([Shape(4, 3)] Tensor logits, [Shape(4, DType = DType.Int32)] Tensor labels, [Shape(3)] Tensor mask) =>
                [|MaskedSparseSoftmaxCrossEntropy(labels, logits, mask)|];
            """), "GC0200");
    }
}
