using IrDType = GraphCompiler.Compiler.IR.DType;
using GraphCompiler.Generator.Tests.Harness;
using static GraphCompiler.Generator.Tests.Harness.Lowered;
using static GraphCompiler.Generator.Tests.Harness.Expect;

namespace GraphCompiler.Generator.Tests.Lowering;

/// <summary>The math family's API calls lower to the expected primitives, attributes and dtypes.</summary>
public class MathLoweringTests
{
    [Theory]
    [InlineData("Abs", "abs")]
    [InlineData("Sign", "sign")]
    [InlineData("Exp", "exp")]
    [InlineData("Log", "log")]
    [InlineData("Log1p", "log1p")]
    [InlineData("Sqrt", "sqrt")]
    [InlineData("Rsqrt", "rsqrt")]
    [InlineData("Reciprocal", "reciprocal")]
    [InlineData("Sigmoid", "sigmoid")]
    [InlineData("Tanh", "tanh")]
    [InlineData("StopGradient", "stop_gradient")]
    public void UnaryCallsLowerToOnePrimitive(string api, string op)
    {
        var g = Entry($"static Tensor F([Shape(2)] Tensor x) => {api}(x);");
        Assert.Equal("input " + op, Ops(g));
    }

    [Theory]
    [InlineData("Pow", "pow", "f32")]
    [InlineData("Maximum", "maximum", "f32")]
    [InlineData("Minimum", "minimum", "f32")]
    [InlineData("Equal", "equal", "bool")]
    [InlineData("NotEqual", "not_equal", "bool")]
    [InlineData("Less", "less", "bool")]
    [InlineData("LessEqual", "less_equal", "bool")]
    [InlineData("Greater", "greater", "bool")]
    [InlineData("GreaterEqual", "greater_equal", "bool")]
    public void BinaryCallsLowerToOnePrimitiveWithBroadcasting(string api, string op, string dtype)
    {
        var g = Entry($"static Tensor F([Shape(2, 3)] Tensor x, [Shape(3)] Tensor y) => {api}(x, y);");
        Assert.Equal("input input " + op, Ops(g));
        Assert.Equal(dtype, g.Result().DType.ToString() switch { "Float32" => "f32", "Bool" => "bool", var s => s });
        Assert.Equal("[2, 3]", g.Result().Shape.ToString());
    }

    [Fact]
    public void LogicalOpsTakeBools()
    {
        var g = Entry("""
            static Tensor F([Shape(2, DType = DType.Bool)] Tensor a, [Shape(2, DType = DType.Bool)] Tensor b) =>
                LogicalXor(LogicalOr(LogicalAnd(a, b), LogicalNot(a)), b);
            """);
        Assert.Equal("input input logical_and logical_not logical_or logical_xor", Ops(g));
    }

    [Fact]
    public void AFloatLiteralTakesTheOtherOperandsDType()
    {
        var g = Entry("static Tensor F([Shape(2, DType = DType.Float64)] Tensor x) => Maximum(x, 0.5f);");
        var max = g.OfOp("maximum").Single();
        Assert.Equal(IrDType.Float64, max.Inputs[1].DType);
        Assert.Equal(new[] { 0.5 }, max.Inputs[1].Attrs.GetDoubles("value"));
    }

    [Fact]
    public void WhereAndSelectLowerToWhere()
    {
        var g = Entry("static Tensor F([Shape(2)] Tensor x) => Where(Less(x, 0f), -x, Select(Greater(x, 1f), x, x * x));");
        Assert.Equal(2, g.OfOp("where").Count());
        Assert.Equal(IrDType.Float32, g.Result().DType);
    }

    [Fact]
    public void CastRecordsBothDTypes()
    {
        var g = Entry("static Tensor F([Shape(2)] Tensor x) => Cast(Cast(x, DType.Int64), DType.Float64);");
        var casts = g.OfOp("cast").ToList();
        Assert.Equal(IrDType.Int64, casts[0].DType);
        Assert.Equal(IrDType.Float32, casts[0].Attrs.GetDType("from"));
        Assert.Equal(IrDType.Float64, g.Result().DType);
    }

    [Fact]
    public void ReductionsNormaliseAxesAndArgMaxGivesInt64()
    {
        var g = Entry("""
            static (Tensor, Tensor, Tensor, Tensor) F([Shape(2, 3, 4)] Tensor x) =>
                (ReduceMax(x, [-1], keepDims: true), ReduceMin(x, [0, 2]), ReduceProd(x), ArgMax(x, -2));
            """);
        Assert.Equal(new[] { 2 }, g.OfOp("reduce_max").Single().Attrs.GetInts("axes"));
        Assert.Equal("[2, 3, 1]", g.Output("item1").Shape.ToString());
        Assert.Equal("[3]", g.Output("item2").Shape.ToString());
        Assert.Equal("[]", g.Output("item3").Shape.ToString());
        Assert.Equal(1, g.OfOp("argmax").Single().Attrs.GetInt("axis"));
        Assert.Equal(IrDType.Int64, g.Output("item4").DType);
        Assert.Equal("[2, 4]", g.Output("item4").Shape.ToString());
    }

    [Fact]
    public void MomentsReturnsATupleOfMeanAndVariance()
    {
        var g = Entry("""
            static (Tensor, Tensor) F([Shape("n", 3)] Tensor x)
            {
                var (mean, variance) = Moments(x, [0]);
                return (mean, variance);
            }
            """);
        Assert.Equal("[3]", g.Output("item1").Shape.ToString());
        Assert.Equal("[3]", g.Output("item2").Shape.ToString());
        Assert.Contains(g.Nodes, n => n.OpName == "element_count");
        Assert.Contains(g.Nodes, n => n.OpName == "stop_gradient");
    }

    [Fact]
    public void SoftmaxIsStableCompositeWithStopGradientOnTheMax()
    {
        var g = Entry("static Tensor F([Shape(\"n\", 4)] Tensor x) => Softmax(x);");
        Assert.Equal("input reduce_max stop_gradient sub exp reduce_sum div", Ops(g));
        Assert.Equal(new[] { 1 }, g.OfOp("reduce_max").Single().Attrs.GetInts("axes"));
    }

    [Fact]
    public void ActivationsAndLossesLower()
    {
        var g = Model("""
            static Tensor F([Shape(4, 3)] Tensor x, [Shape(4, DType = DType.Int32)] Tensor labels, [Shape(4, 3)] Tensor dense) =>
                Relu(x) + Relu6(x) + LeakyRelu(x, 0.1f) + Elu(x) + Selu(x) + Gelu(x) + Gelu(x, approximate: true) + Softplus(x)
                + Softsign(x) + Swish(x) + LogSoftmax(x, 0) + SigmoidCrossEntropyWithLogits(dense, x)
                + ReduceSum(SparseSoftmaxCrossEntropyWithLogits(labels, x) + SoftmaxCrossEntropyWithLogits(dense, x))
                + MeanSquaredError(dense, x) + L2Loss(x) + MaskedMean(x, Greater(dense, 0f)) + ReduceLogSumExp(x, [1], keepDims: true)
                + ReduceVariance(x) + Dropout(x, 0.5f) + ClipByValue(x, -1f, 1f) + ClipByNorm(x, 2f, [1]);
            """).Entries.Single().Graph;
        Assert.Contains(g.Nodes, n => n.OpName == "erf");
        Assert.Contains(g.Nodes, n => n.OpName == "tanh");
        Assert.Contains(g.Nodes, n => n.OpName == "dropout" && n.Attrs.GetDouble("rate") == 0.5);
        Assert.Contains(g.Nodes, n => n.OpName == "equal" && n.Inputs[0].DType == IrDType.Int32);
        Assert.Equal("[4, 3]", g.Result().Shape.ToString());
    }

    [Fact]
    public void DropoutsGetDistinctDerivedSeedsUnlessGivenOne()
    {
        var g = Entry("static Tensor F([Shape(4)] Tensor x) => Dropout(x, 0.5f) + Dropout(x, 0.5f) + Dropout(x, 0.1f, seed: 42);");
        var seeds = g.OfOp("dropout").Select(d => d.Attrs.GetLong("seed")).ToList();
        Assert.Equal(3, seeds.Distinct().Count());
        Assert.Equal(42, seeds[2]);
    }

    [Fact]
    public void DropoutKeepIsDropoutWithTheComplementaryRate()
    {
        var keep = Entry("static Tensor F([Shape(4)] Tensor x) => DropoutKeep(x, 0.8f, seed: 3);").OfOp("dropout").Single();
        var rate = Entry("static Tensor F([Shape(4)] Tensor x) => Dropout(x, 0.2f, seed: 3);").OfOp("dropout").Single();
        Assert.Equal(rate.Attrs.ToString(), keep.Attrs.ToString());
    }

    [Fact]
    public void GradientsAndGlobalNormClippingReturnArraysAndTuples()
    {
        var g = Entry("""
            static (Tensor, Tensor, Tensor) F([Shape(3)] Tensor x)
            {
                var y = Square(x);
                var grads = Gradients([ReduceSum(y), ReduceSum(x)], [x, y]);
                var (clipped, norm) = ClipByGlobalNorm(grads, 1f);
                return (clipped[0], clipped[1], norm);
            }
            """);
        Assert.Equal("[3]", g.Output("item1").Shape.ToString());
        Assert.Equal("[]", g.Output("item3").Shape.ToString());
        Assert.Contains(g.Nodes, n => n.Name.StartsWith("gradients/", StringComparison.Ordinal));
        Assert.Contains(g.Nodes, n => n.Name.StartsWith("gradients_1/", StringComparison.Ordinal));
    }

    [Fact]
    public void DropoutRateOutsideTheUnitIntervalIsAShapeError()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(4)] Tensor x) => Dropout(x, [|1.5f|]);
            """), "GC0200");
        Assert.Contains("rate must be in [0, 1)", d.GetMessage());
    }

    [Fact]
    public void NonFloatInputsToFloatOpsAreShapeErrors()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(4, DType = DType.Int32)] Tensor x) => [|Exp(x)|];
            """), "GC0200");
        Assert.Contains("exp needs a float tensor", d.GetMessage());
    }
}
