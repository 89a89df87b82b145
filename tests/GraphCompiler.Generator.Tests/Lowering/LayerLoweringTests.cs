using GraphCompiler.Compiler.IR;
using GraphCompiler.Generator.Tests.Harness;

namespace GraphCompiler.Generator.Tests.Lowering;

/// <summary>Keras-style layers: variable names, shapes and initializers, naming across entry methods, and their errors.</summary>
public class LayerLoweringTests
{
    private static string WithLayers(string members) => "using static GraphCompiler.Layers;\n" + Expect.InModel(members);

    private static Compiler.Model.ModelDefinition Model(string members)
    {
        var run = GeneratorHarness.Run(WithLayers(members));
        Assert.Empty(run.Errors);
        return Compiler.Model.ModelDefinition.Parse(run.ModelText);
    }

    private static string Describe(VariableInfo v) => $"{v.Name} {v.Shape} {v.Init.Kind} {v.Init.A} {v.Init.B}";

    [Fact]
    public void SequentialNamesVariablesAsKeras()
    {
        var model = Model("""
            static Tensor F([Shape("batch", 4, 7)] Tensor x) =>
                Sequential(x, Flatten(), Dense(16, Activation.Relu), Dropout(0.25f), Dense(3));
            """);
        Assert.Equal(new[]
        {
            "dense/kernel [28, 16] glorot_uniform 0 0", "dense/bias [16] zeros 0 0",
            "dense_1/kernel [16, 3] glorot_uniform 0 0", "dense_1/bias [3] zeros 0 0",
        }, model.Variables.Select(Describe));
        Assert.All(model.Variables, v => Assert.True(v.Trainable));
        var g = model.Entries[0].Graph;
        Assert.Equal("[batch, 3]", g.Result().Shape.ToString());
        Assert.Equal(new[] { "dense/matmul", "dense_1/matmul" }, g.OfOp("matmul").Select(n => n.Name));
        Assert.Single(g.OfOp("relu"));
    }

    [Fact]
    public void ASequentialCnnNamesItsLayersAsKeras()
    {
        var model = Model("""
            static Tensor F([Shape("batch", 8, 8, 1)] Tensor x) => Sequential(x,
                Conv2D(4, [3, 3], activation: Activation.Relu), BatchNormalization(), MaxPooling2D([2, 2]),
                Conv2D(2, [2, 2], padding: Padding.Same, useBias: false), AveragePooling2D([3, 3]), Flatten(), Dense(3));
            """);
        Assert.Equal(new[]
        {
            "conv2d/kernel [3, 3, 1, 4] glorot_uniform 0 0", "conv2d/bias [4] zeros 0 0",
            "batch_normalization/gamma [4] constant 0 0", "batch_normalization/beta [4] zeros 0 0",
            "batch_normalization/moving_mean [4] zeros 0 0", "batch_normalization/moving_variance [4] constant 0 0",
            "conv2d_1/kernel [2, 2, 4, 2] glorot_uniform 0 0", "dense/kernel [2, 3] glorot_uniform 0 0", "dense/bias [3] zeros 0 0",
        }, model.Variables.Select(Describe));
        Assert.Equal(new[] { false, false }, model.Variables.Where(v => v.Name.Contains("moving")).Select(v => v.Trainable));
        var g = model.Entries[0].Graph;
        Assert.Equal("[batch, 3]", g.Result().Shape.ToString());
        Assert.Equal(new[] { "conv2d/", "conv2d_1/" }, g.OfOp("conv2d").Select(n => n.Name.Substring(0, n.Name.IndexOf('/') + 1)));
        Assert.StartsWith("max_pooling2d/", g.OfOp("max_pool").Single().Name, StringComparison.Ordinal);
        Assert.StartsWith("average_pooling2d/", g.OfOp("avg_pool").Single().Name, StringComparison.Ordinal);
        Assert.Single(g.OfOp("relu"));
    }

    [Fact]
    public void ADepthwiseConvolutionLayerHasKerasNamesAndMultipliesTheChannels()
    {
        var model = Model("""
            static Tensor F([Shape("batch", 7, 6, 3)] Tensor x) =>
                Sequential(x, DepthwiseConv2D([3, 3], strides: [2, 2], padding: Padding.Same, depthMultiplier: 2, activation: Activation.Relu));
            """);
        Assert.Equal(new[] { "depthwise_conv2d/depthwise_kernel [3, 3, 3, 2] glorot_uniform 0 0", "depthwise_conv2d/bias [6] zeros 0 0" },
            model.Variables.Select(Describe));
        var g = model.Entries[0].Graph;
        Assert.Equal("[batch, 4, 3, 6]", g.Result().Shape.ToString());
        Assert.StartsWith("depthwise_conv2d/", Assert.Single(g.OfOp("depthwise_conv2d")).Name, StringComparison.Ordinal);
    }

    [Fact]
    public void ADescribedConvolutionAppliedTwiceSharesItsKernel()
    {
        var model = Model("""
            static Tensor F([Shape(1, 5, 5, 2)] Tensor a, [Shape(1, 5, 5, 2)] Tensor b)
            {
                var shared = Conv2D(3, [3, 3], name: "features");
                return shared.Apply(a) + shared.Apply(b) + Conv2D(b, 3, [3, 3]);
            }
            """);
        Assert.Equal(new[] { "features/kernel", "features/bias", "conv2d/kernel", "conv2d/bias" }, model.Variables.Select(v => v.Name));
        Assert.Equal(3, model.Entries[0].Graph.OfOp("conv2d").Count());
    }

    [Fact]
    public void AConvolutionOnInputWithoutStaticChannelsIsGC0200()
    {
        Expect.Diagnostic(WithLayers("""
            static Tensor F([Shape(2, 3)] Tensor x) => Sequential(x, [|Conv2D(4, [3, 3])|]);
            """), "GC0200");
    }

    [Fact]
    public void EmbeddingIsUniformWithinFiveHundredthsAsKeras()
    {
        var model = Model("""
            static Tensor F([Shape("batch", 5, DType = DType.Int32)] Tensor ids) => Flatten(Embedding(ids, 100, 8));
            """);
        Assert.Equal("embedding/embeddings [100, 8] random_uniform -0.05 0.05", Describe(model.Variables.Single()));
        Assert.Equal("[batch, 40]", model.Entries[0].Graph.Result().Shape.ToString());
    }

    [Fact]
    public void LayersNestUnderVariableScopesAndTakeGivenNames()
    {
        var model = Model("""
            static Tensor F([Shape(2, 3)] Tensor x)
            {
                Tensor h;
                using (var _ = VariableScope("encoder")) h = Dense(Dense(x, 4), 4, useBias: false);
                return Dense(h, 2, name: "logits");
            }
            """);
        Assert.Equal(new[] { "encoder/dense/kernel", "encoder/dense/bias", "encoder/dense_1/kernel", "logits/kernel", "logits/bias" },
            model.Variables.Select(v => v.Name));
    }

    [Fact]
    public void EveryEntryMethodBuildsTheSameLayers()
    {
        // Loss and Predict each call the network: one set of variables, as one Keras model used twice.
        var model = Model("""
            static Tensor Net(Tensor x) => Sequential(x, Dense(5, Activation.Tanh), Dense(2));
            [Loss] static Tensor Loss([Shape("n", 3)] Tensor x, [Shape("n", 2)] Tensor y) => ReduceMean(Square(Net(x) - y));
            [Output] static Tensor Predict([Shape("n", 3)] Tensor x) => Net(x);
            """);
        Assert.Equal(new[] { "dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias" }, model.Variables.Select(v => v.Name));
    }

    [Fact]
    public void ADescribedLayerAppliedTwiceSharesItsWeights()
    {
        var model = Model("""
            static Tensor F([Shape(2, 3)] Tensor a, [Shape(2, 3)] Tensor b)
            {
                var shared = Dense(4);
                return shared.Apply(a) + shared.Apply(b) + Dense(b, 4);
            }
            """);
        Assert.Equal(new[] { "dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias" }, model.Variables.Select(v => v.Name));
        Assert.Equal(3, model.Entries[0].Graph.OfOp("matmul").Count());
    }

    [Fact]
    public void LayersInALoopGetNumberedNames()
    {
        var model = Model("""
            static Tensor F([Shape(2, 3)] Tensor x)
            {
                Layer[] layers = [Dense(3, Activation.Relu), Dense(3, Activation.Relu)];
                for (int i = 0; i < 2; i++) x = Sequential(x, layers[i]);
                return Dense(x, 1);
            }
            """);
        Assert.Equal(new[] { "dense", "dense_1", "dense_2" }, model.Variables.Where(v => v.Name.EndsWith("/kernel", StringComparison.Ordinal)).Select(v => v.Name.Split('/')[0]));
    }

    [Fact]
    public void DenseOnASymbolicFeatureAxisIsGC0201()
    {
        Expect.Diagnostic(WithLayers("""
            static Tensor F([Shape(2, "k")] Tensor x) => [|Dense(x, 4)|];
            """), "GC0201");
    }

    [Fact]
    public void AGivenLayerNameUsedTwiceInOneEntryIsGC0300()
    {
        Expect.Diagnostic(WithLayers("""
            static Tensor F([Shape(2, 3)] Tensor x) => [|Dense(Dense(x, 3, name: "d"), 3, name: "d")|];
            """), "GC0300");
    }

    [Fact]
    public void AnEntryWhoseLayerDisagreesInShapeIsGC0302()
    {
        var d = Expect.Diagnostic(WithLayers("""
            [Output] static Tensor A([Shape(2, 3)] Tensor x) => Dense(x, 4);
            [Output] static Tensor B([Shape(2, 5)] Tensor x) => [|Dense(x, 4)|];
            """), "GC0302");
        Assert.Contains("dense/kernel", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void ADropoutRateOutsideItsRangeIsGC0200()
    {
        Expect.Diagnostic(WithLayers("""
            static Tensor F([Shape(2, 3)] Tensor x) => Sequential(x, Layers.Dropout([|1.5f|]));
            """), "GC0200");
    }
}
