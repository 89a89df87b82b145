using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Ops.Composites;
using GraphCompiler.Compiler.Passes;
using GraphCompiler.Compiler.Reference;

namespace GraphCompiler.Compiler.Tests.Ops;

/// <summary>Values, dtypes and gradient conventions of the math family that finite differences cannot show.</summary>
public class MathOpSemanticsTests
{
    private static RefTensor T(DType t, int[] shape, params double[] v) => new(t, shape, v);

    /// <summary>Evaluates <paramref name="build"/> on the given inputs (x0, x1, …) and returns its value.</summary>
    private static RefTensor Eval(Func<GraphBuilder, Node[], Node> build, params RefTensor[] inputs)
    {
        var b = new GraphBuilder("eval");
        var xs = inputs.Select((t, i) => b.Input("x" + i, t.DType, Shape.Of(t.Shape))).ToArray();
        b.AddOutput("y", build(b, xs));
        return Interpreter.Outputs(b.Build(), inputs.Select((t, i) => ("x" + i, t)).ToDictionary(p => p.Item1, p => p.t), new Dictionary<string, RefTensor>())["y"];
    }

    /// <summary>d Σ(f(x)) / dx at <paramref name="x"/>.</summary>
    private static double[] Grad(Func<GraphBuilder, Node, Node> f, RefTensor x)
    {
        var b = new GraphBuilder("grad");
        var input = b.Input("x", x.DType, Shape.Of(x.Shape));
        var y = f(b, input);
        var loss = MathComposites.Reduce(b, "reduce_sum", y, Enumerable.Range(0, y.Shape.Rank).ToArray(), false);
        b.AddOutput("g", Autodiff.Gradients(b, loss, new[] { input })[0]!);
        return Interpreter.Outputs(b.Build(), new Dictionary<string, RefTensor> { ["x"] = x }, new Dictionary<string, RefTensor>())["g"].Data;
    }

    [Fact]
    public void ErfMatchesKnownValuesToMachinePrecision()
    {
        var known = new (double X, double Erf)[]
        {
            (0, 0), (1e-8, 1.1283791670955126e-8), (0.5, 0.5204998778130465), (1, 0.8427007929497149),
            (2, 0.9953222650189527), (-3, -0.9999779095030014), (4.5, 0.9999999998033839), (7, 1),
        };
        foreach (var (x, erf) in known)
            Assert.True(Math.Abs(SpecialFunctions.Erf(x) - erf) <= 1e-15, $"erf({x}) = {SpecialFunctions.Erf(x)}, expected {erf}");
    }

    [Fact]
    public void Log1pKeepsTheDigitsOfTinyArguments()
    {
        Assert.True(Math.Abs(SpecialFunctions.Log1p(1e-10) - (1e-10 - 5e-21)) <= 1e-25);
        Assert.Equal(Math.Log(3), SpecialFunctions.Log1p(2), 15);
        Assert.Equal(double.NegativeInfinity, SpecialFunctions.Log1p(-1));
        Assert.True(double.IsNaN(SpecialFunctions.Log1p(-2)));
    }

    [Fact]
    public void SigmoidIsStableAtBothEnds()
    {
        Assert.Equal(1.0, SpecialFunctions.Sigmoid(1000));
        Assert.Equal(Math.Exp(-1000), SpecialFunctions.Sigmoid(-1000));
        Assert.Equal(0.5, SpecialFunctions.Sigmoid(0));
    }

    [Fact]
    public void ComparisonsAndLogicalOpsGiveBools()
    {
        var a = T(DType.Float32, new[] { 4 }, 1, 2, 3, 4);
        var b = T(DType.Float32, new[] { 4 }, 2, 2, 2, 2);
        var ops = new Dictionary<string, double[]>
        {
            ["equal"] = new double[] { 0, 1, 0, 0 }, ["not_equal"] = new double[] { 1, 0, 1, 1 },
            ["less"] = new double[] { 1, 0, 0, 0 }, ["less_equal"] = new double[] { 1, 1, 0, 0 },
            ["greater"] = new double[] { 0, 0, 1, 1 }, ["greater_equal"] = new double[] { 0, 1, 1, 1 },
        };
        foreach (var (op, expected) in ops)
        {
            var y = Eval((g, x) => g.Apply(op, x), a, b);
            Assert.Equal(DType.Bool, y.DType);
            Assert.Equal(expected, y.Data);
        }
        var p = T(DType.Bool, new[] { 4 }, 0, 0, 1, 1);
        var q = T(DType.Bool, new[] { 4 }, 0, 1, 0, 1);
        Assert.Equal(new double[] { 0, 0, 0, 1 }, Eval((g, x) => g.Apply("logical_and", x), p, q).Data);
        Assert.Equal(new double[] { 0, 1, 1, 1 }, Eval((g, x) => g.Apply("logical_or", x), p, q).Data);
        Assert.Equal(new double[] { 0, 1, 1, 0 }, Eval((g, x) => g.Apply("logical_xor", x), p, q).Data);
        Assert.Equal(new double[] { 1, 1, 0, 0 }, Eval((g, x) => g.Apply("logical_not", x), p).Data);
    }

    [Fact]
    public void CastTruncatesRoundsAndMapsBools()
    {
        var x = T(DType.Float64, new[] { 5 }, -2.7, -0.5, 0, 0.1, 3.9);
        Assert.Equal(new double[] { -2, 0, 0, 0, 3 }, Eval((g, i) => Cast.Apply(g, i[0], DType.Int32), x).Data);
        Assert.Equal(new double[] { 1, 1, 0, 1, 1 }, Eval((g, i) => Cast.Apply(g, i[0], DType.Bool), x).Data);
        Assert.Equal(new double[] { (float)-2.7, -0.5, 0, (float)0.1, (float)3.9 }, Eval((g, i) => Cast.Apply(g, i[0], DType.Float32), x).Data);
        var bools = T(DType.Bool, new[] { 2 }, 1, 0);
        Assert.Equal(new double[] { 1, 0 }, Eval((g, i) => Cast.Apply(g, i[0], DType.Int64), bools).Data);
    }

    [Fact]
    public void CastGradientPassesBetweenFloatsOnly()
    {
        var b = new GraphBuilder("cast");
        var x = b.Input("x", DType.Float64, Shape.Of(3));
        var viaFloat32 = Cast.Apply(b, Cast.Apply(b, x, DType.Float32), DType.Float64);
        var viaInt = Cast.Apply(b, Cast.Apply(b, x, DType.Int32), DType.Float64);
        var grads = Autodiff.Gradients(b, MathComposites.Reduce(b, "reduce_sum", b.Add(viaFloat32, viaInt), new[] { 0 }, false), new[] { x });
        b.AddOutput("g", grads[0]!);
        var g = Interpreter.Outputs(b.Build(), new Dictionary<string, RefTensor> { ["x"] = T(DType.Float64, new[] { 3 }, 0.5, 1.5, -2) }, new Dictionary<string, RefTensor>())["g"];
        Assert.Equal(new double[] { 1, 1, 1 }, g.Data);
    }

    [Fact]
    public void StopGradientHoldsItsInputConstant()
    {
        // d/dx Σ x·stop(x) = stop(x) = x, not 2x; and d/dx Σ stop(x) is zero.
        var x = T(DType.Float64, new[] { 3 }, 1, -2, 3);
        Assert.Equal(x.Data, Grad((b, i) => b.Mul(i, b.Apply("stop_gradient", new[] { i })), x));
        Assert.Equal(new double[] { 0, 0, 0 }, Grad((b, i) => b.Add(b.Apply("stop_gradient", new[] { i }), b.Mul(i, b.Scalar(0, DType.Float64))), x));
    }

    [Fact]
    public void MaximumAndMinimumSendTiesToTheFirstInput()
    {
        var b = new GraphBuilder("ties");
        var x = b.Input("x", DType.Float64, Shape.Of(3));
        var y = b.Input("y", DType.Float64, Shape.Of(3));
        var sum = b.Add(b.Apply("maximum", new[] { x, y }), b.Apply("minimum", new[] { x, y }));
        var grads = Autodiff.Gradients(b, MathComposites.Reduce(b, "reduce_sum", sum, new[] { 0 }, false), new[] { x, y });
        b.AddOutput("dx", grads[0]!);
        b.AddOutput("dy", grads[1]!);
        var outputs = Interpreter.Outputs(b.Build(), new Dictionary<string, RefTensor> { ["x"] = T(DType.Float64, new[] { 3 }, 1, 2, 3), ["y"] = T(DType.Float64, new[] { 3 }, 2, 2, 1) }, new Dictionary<string, RefTensor>());
        Assert.Equal(new double[] { 1, 2, 1 }, outputs["dx"].Data);
        Assert.Equal(new double[] { 1, 0, 1 }, outputs["dy"].Data);
    }

    [Fact]
    public void ReduceMaxAndMinShareTheGradientAmongTies()
    {
        var x = T(DType.Float64, new[] { 2, 3 }, 1, 3, 3, 5, 5, 5);
        Assert.Equal(new double[] { 0, 0.5, 0.5, 1.0 / 3, 1.0 / 3, 1.0 / 3 }, Grad((b, i) => MathComposites.Reduce(b, "reduce_max", i, new[] { 1 }, false), x));
        Assert.Equal(new double[] { 1, 0, 0, 1.0 / 3, 1.0 / 3, 1.0 / 3 }, Grad((b, i) => MathComposites.Reduce(b, "reduce_min", i, new[] { 1 }, true), x));
    }

    [Fact]
    public void ReduceProdGradientIsExactAtZeros()
    {
        // rows: no zero, one zero, two zeros
        var x = T(DType.Float64, new[] { 3, 3 }, 2, 3, 4, 2, 0, 3, 0, 5, 0);
        Assert.Equal(new double[] { 12, 8, 6, 0, 6, 0, 0, 0, 0 }, Grad((b, i) => MathComposites.Reduce(b, "reduce_prod", i, new[] { 1 }, false), x));
        Assert.Equal(new double[] { 24, 0, 0 }, Eval((b, i) => MathComposites.Reduce(b, "reduce_prod", i[0], new[] { 1 }, false), x).Data);
    }

    [Fact]
    public void ArgMaxAndArgMinGiveTheFirstExtremeAsInt64()
    {
        var x = T(DType.Float32, new[] { 2, 3 }, 1, 7, 7, -1, -4, -4);
        var max = Eval((b, i) => b.Apply("argmax", i, Attrs.Of(("axis", 1))), x);
        Assert.Equal(DType.Int64, max.DType);
        Assert.Equal(new double[] { 1, 0 }, max.Data);
        Assert.Equal(new double[] { 0, 1 }, Eval((b, i) => b.Apply("argmin", i, Attrs.Of(("axis", 1))), x).Data);
        Assert.Equal(new double[] { 0, 0, 0 }, Eval((b, i) => b.Apply("argmax", i, Attrs.Of(("axis", 0))), x).Data);
        Assert.Equal(new double[] { 1 }, Eval((b, i) => b.Apply("argmax", i, Attrs.Of(("axis", 0))), T(DType.Float64, new[] { 3 }, 1, double.NaN, 5)).Data);
    }

    [Fact]
    public void MomentsGiveMeanAndPopulationVariance()
    {
        var x = T(DType.Float64, new[] { 2, 2 }, 1, 3, 5, 11);
        Assert.Equal(new double[] { 2, 8 }, Eval((b, i) => MathComposites.Moments(b, i[0], new[] { 1 }, false).Mean, x).Data);
        Assert.Equal(new double[] { 1, 9 }, Eval((b, i) => MathComposites.Moments(b, i[0], new[] { 1 }, false).Variance, x).Data);
        Assert.Equal(new double[] { 1, 9 }, Eval((b, i) => MathComposites.ReduceVariance(b, i[0], new[] { 1 }, true), x).Data);
    }

    [Fact]
    public void MaskedMeanAveragesTheMaskedValuesAndIsZeroForAnEmptyMask()
    {
        var values = T(DType.Float32, new[] { 2, 2 }, 1, 2, 3, 4);
        Assert.Equal(1.5, Eval((b, i) => MathComposites.MaskedMean(b, i[0], i[1]), values, T(DType.Float32, new[] { 2, 1 }, 1, 0)).Data[0], 6);
        Assert.Equal(0, Eval((b, i) => MathComposites.MaskedMean(b, i[0], i[1]), values, T(DType.Bool, new[] { 2, 2 }, 0, 0, 0, 0)).Data[0]);
    }

    [Fact]
    public void ClipByNormAndGlobalNormScaleOnlyWhenTooLong()
    {
        var x = T(DType.Float64, new[] { 2, 2 }, 3, 4, 0.3, 0.4);
        Assert.Equal(new[] { 0.6, 0.8, 0.3, 0.4 }, Eval((b, i) => MathComposites.ClipByNorm(b, i[0], b.Scalar(1, DType.Float64), new[] { 1 }), x).Data.Select(v => Math.Round(v, 12)));
        var b2 = new GraphBuilder("global");
        var p = b2.Input("p", DType.Float64, Shape.Of(2));
        var q = b2.Input("q", DType.Float64, Shape.Of(1));
        var (clipped, norm) = MathComposites.ClipByGlobalNorm(b2, new[] { p, q }, b2.Scalar(6.5, DType.Float64));
        b2.AddOutput("p", clipped[0]);
        b2.AddOutput("q", clipped[1]);
        b2.AddOutput("norm", norm);
        var outputs = Interpreter.Outputs(b2.Build(), new Dictionary<string, RefTensor> { ["p"] = T(DType.Float64, new[] { 2 }, 3, 4), ["q"] = T(DType.Float64, new[] { 1 }, 12) }, new Dictionary<string, RefTensor>());
        Assert.Equal(13, outputs["norm"].Data[0], 12);
        Assert.Equal(new[] { 1.5, 2 }, outputs["p"].Data.Select(v => Math.Round(v, 12)));
        Assert.Equal(new[] { 6.0 }, outputs["q"].Data.Select(v => Math.Round(v, 12)));
        // below the clip norm the op is the identity, also at x = 0 where the unguarded √ would give 0/0
        Assert.Equal(new double[] { 1, 1 }, Grad((b, i) => MathComposites.ClipByNorm(b, i, b.Scalar(1, DType.Float64), null), T(DType.Float64, new[] { 2 }, 0, 0)));
    }

    [Fact]
    public void TypeRulesRejectWrongDTypes()
    {
        var b = new GraphBuilder("types");
        var ints = b.Input("i", DType.Int32, Shape.Of(3));
        var floats = b.Input("f", DType.Float32, Shape.Of(3));
        Assert.Contains("float tensor", Assert.Throws<ShapeException>(() => b.Apply("exp", new[] { ints })).Message);
        Assert.Contains("condition must be bool", Assert.Throws<ShapeException>(() => b.Apply("where", new[] { floats, floats, floats })).Message);
        Assert.Contains("bool tensors", Assert.Throws<ShapeException>(() => b.Apply("logical_and", new[] { floats, floats })).Message);
        Assert.Contains("int32 or int64", Assert.Throws<ShapeException>(() => MathComposites.SparseSoftmaxCrossEntropyWithLogits(b, floats, b.Input("l", DType.Float32, Shape.Of(3, 2)))).Message);
        Assert.Contains("rate must be in [0, 1)", Assert.Throws<ShapeException>(() => b.Apply("dropout", new[] { floats }, Dropout.Of(1, 0))).Message);
        Assert.Contains("out of range", Assert.Throws<ShapeException>(() => b.Apply("argmax", new[] { floats }, Attrs.Of(("axis", 1)))).Message);
        Assert.Equal(DType.Int32, b.Apply("abs", new[] { ints }).DType);
        Assert.Equal(DType.Bool, b.Apply("less", new[] { ints, ints }).DType);
    }
}
