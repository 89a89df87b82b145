using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops.Composites;
using GraphCompiler.Compiler.Passes;
using GraphCompiler.Compiler.Reference;

namespace GraphCompiler.Compiler.Tests.Ops;

/// <summary>
/// Softmax, log-softmax and both cross-entropies with logits of ±1e4 in float32: finite values equal
/// to the exact ones, and gradients equal to the analytic formulas.
/// </summary>
public class MathOpStabilityTests
{
    private static readonly double[] Logits = { 1e4, -1e4, 0, -1e4, -1e4, 1e4 };
    private static readonly double[] Weights = { 0.5, -1, 2, 1, 0.25, -0.5 };

    /// <summary>Builds y = f(logits) and d Σ(y·w) / d logits in float32 and runs them in the interpreter.</summary>
    private static (double[] Y, double[] Grad) Run(Func<GraphBuilder, Node, Node> f, double[]? weights = null)
    {
        var b = new GraphBuilder("stability");
        var x = b.Input("x", DType.Float32, Shape.Of(2, 3));
        var y = f(b, x);
        var w = b.Constant(weights ?? Weights.Take((int)y.Shape.StaticElementCount).ToArray(), y.Shape, DType.Float32);
        var loss = MathComposites.Reduce(b, "reduce_sum", b.Mul(y, w), Enumerable.Range(0, y.Shape.Rank).ToArray(), false);
        b.AddOutput("y", y);
        b.AddOutput("grad", Autodiff.Gradients(b, loss, new[] { x })[0]!);
        var outputs = Interpreter.Outputs(b.Build(), new Dictionary<string, RefTensor> { ["x"] = new(DType.Float32, new[] { 2, 3 }, Logits) }, new Dictionary<string, RefTensor>());
        Assert.All(outputs["y"].Data, v => Assert.True(double.IsFinite(v), $"value {v} is not finite"));
        Assert.All(outputs["grad"].Data, v => Assert.True(double.IsFinite(v), $"gradient {v} is not finite"));
        return (outputs["y"].Data, outputs["grad"].Data);
    }

    /// <summary>The exact softmax of each row of <see cref="Logits"/>: one-hot at the 1e4 entry.</summary>
    private static readonly double[] Softmax = { 1, 0, 0, 0, 0, 1 };

    private static void Close(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6 * Math.Max(1, Math.Abs(expected[i])), $"[{i}]: expected {expected[i]}, got {actual[i]}");
    }

    [Fact]
    public void SoftmaxOfHugeLogitsIsOneHotWithTheAnalyticGradient()
    {
        var (y, grad) = Run((b, x) => MathComposites.Softmax(b, x, -1));
        Close(Softmax, y);
        // d/dx_i Σ w·s = s_i (w_i − Σ_j w_j s_j)
        var expected = new double[6];
        for (int r = 0; r < 2; r++)
        {
            double dot = Enumerable.Range(0, 3).Sum(j => Weights[r * 3 + j] * Softmax[r * 3 + j]);
            for (int i = 0; i < 3; i++) expected[r * 3 + i] = Softmax[r * 3 + i] * (Weights[r * 3 + i] - dot);
        }
        Close(expected, grad);
    }

    [Fact]
    public void LogSoftmaxOfHugeLogitsIsExactWithTheAnalyticGradient()
    {
        var (y, grad) = Run((b, x) => MathComposites.LogSoftmax(b, x, -1));
        Close(new[] { 0, -2e4, -1e4, -2e4, -2e4, 0 }, y);
        // d/dx_i Σ w·log_softmax = w_i − s_i Σ_j w_j
        var expected = new double[6];
        for (int r = 0; r < 2; r++)
        {
            double sum = Weights.Skip(r * 3).Take(3).Sum();
            for (int i = 0; i < 3; i++) expected[r * 3 + i] = Weights[r * 3 + i] - Softmax[r * 3 + i] * sum;
        }
        Close(expected, grad);
    }

    [Fact]
    public void DenseCrossEntropyOfHugeLogitsIsFiniteWithTheAnalyticGradient()
    {
        var labels = new double[] { 0, 1, 0, 0.5, 0, 0.5 };
        var (y, grad) = Run((b, x) => MathComposites.SoftmaxCrossEntropyWithLogits(b, b.Constant(labels, Shape.Of(2, 3), DType.Float32), x, -1), new[] { 1.0, 1.0 });
        Close(new[] { 2e4, 0.5 * 2e4 }, y);
        // d/dx = softmax · Σ labels − labels per row
        var expected = labels.Select((l, i) => Softmax[i] * 1 - l).ToArray();
        Close(expected, grad);
    }

    [Fact]
    public void SparseCrossEntropyOfHugeLogitsIsFiniteWithTheAnalyticGradient()
    {
        var (y, grad) = Run((b, x) => MathComposites.SparseSoftmaxCrossEntropyWithLogits(b, b.Constant(new double[] { 1, 2 }, Shape.Of(2), DType.Int32), x), new[] { 1.0, 1.0 });
        Close(new[] { 2e4, 0 }, y);
        var oneHot = new double[] { 0, 1, 0, 0, 0, 1 };
        Close(Softmax.Select((s, i) => s - oneHot[i]).ToArray(), grad);
    }

    [Fact]
    public void SigmoidCrossEntropyOfHugeLogitsIsFiniteWithTheAnalyticGradient()
    {
        var labels = new double[] { 1, 0, 0.5, 1, 0, 1 };
        var (y, grad) = Run((b, x) => MathComposites.SigmoidCrossEntropyWithLogits(b, b.Constant(labels, Shape.Of(2, 3), DType.Float32), x));
        // max(x, 0) − x·z + ln(1 + e^(−|x|)); σ(±1e4) is exactly 1 or 0 in float
        var expected = Logits.Select((x, i) => Math.Max(x, 0) - x * labels[i] + Math.Log(1 + Math.Exp(-Math.Abs(x)))).ToArray();
        Close(expected, y);
        var sigma = Logits.Select(x => 1 / (1 + Math.Exp(-x))).ToArray();
        Close(sigma.Select((s, i) => Weights[i] * (s - labels[i])).ToArray(), grad);
    }

    [Fact]
    public void LogSumExpOfHugeValuesIsExact()
    {
        var (y, grad) = Run((b, x) => MathComposites.ReduceLogSumExp(b, x, new[] { 1 }, false), new[] { 1.0, 1.0 });
        Close(new[] { 1e4, 1e4 }, y);
        Close(Softmax, grad);
    }
}
