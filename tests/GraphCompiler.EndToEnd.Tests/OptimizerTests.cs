using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>Each optimizer against a hand-computed reference (TensorFlow 1.x formulas) for several steps.</summary>
public class OptimizerTests
{
    private static readonly float[] Target = [0.5f, 0.25f];
    private const float Lr = 0.1f;

    /// <summary>Runs the reference update <paramref name="step"/>(t, w, g) for <paramref name="steps"/> steps from w = [1, -2].</summary>
    private static double[] Reference(int steps, Func<int, int, double, double, double> step)
    {
        var w = new[] { 1.0, -2.0 };
        for (int t = 0; t < steps; t++)
            for (int i = 0; i < 2; i++)
                w[i] = step(t, i, w[i], 2 * (w[i] - Target[i]));
        return w;
    }

    private static void AssertTrains(IModel model, Func<float> trainStep, double[] expected, int steps)
    {
        for (int t = 0; t < steps; t++) trainStep();
        var w = model.AllVariables["w"].ToDoubleArray();
        for (int i = 0; i < 2; i++) Assert.True(Math.Abs(expected[i] - w[i]) < 1e-5, $"w[{i}]: expected {expected[i]}, got {w[i]}");
        Assert.Equal(new[] { 3.0, 3.0 }, model.AllVariables["frozen"].ToDoubleArray());
        Assert.Equal(steps, model.GlobalStep);
    }

    [Fact]
    public void Momentum()
    {
        var a = new double[2];
        var expected = Reference(4, (t, i, w, g) => { a[i] = 0.5 * a[i] + g; return w - Lr * a[i]; });
        var m = new MomentumModel();
        AssertTrains(m, () => m.TrainStep(Target, Lr), expected, 4);
        Assert.Equal(new[] { "w", "frozen", "w/Momentum" }, ((IModel)m).AllVariables.Names);
        Assert.False(((IModel)m).AllVariables["w/Momentum"].Trainable);
    }

    [Fact]
    public void Nesterov()
    {
        var a = new double[2];
        var expected = Reference(4, (t, i, w, g) => { a[i] = 0.5 * a[i] + g; return w - Lr * (g + 0.5 * a[i]); });
        var m = new NesterovModel();
        AssertTrains(m, () => m.TrainStep(Target, Lr), expected, 4);
    }

    [Fact]
    public void AdamWithBiasCorrectionAndEpsilonHat()
    {
        var (mo, v) = (new double[2], new double[2]);
        var expected = Reference(5, (t, i, w, g) =>
        {
            mo[i] = 0.9 * mo[i] + 0.1 * g;
            v[i] = 0.999 * v[i] + 0.001 * g * g;
            double lrT = Lr * Math.Sqrt(1 - Math.Pow(0.999, t + 1)) / (1 - Math.Pow(0.9, t + 1));
            return w - lrT * mo[i] / (Math.Sqrt(v[i]) + 1e-8);
        });
        var m = new AdamModel();
        AssertTrains(m, () => m.TrainStep(Target, Lr), expected, 5);
        // Adam's first step moves every coordinate by about lr, whatever the gradient's scale.
        Assert.Contains("w/Adam_1", ((IModel)m).AllVariables.Names);
    }

    [Fact]
    public void AdamWDecaysWeightsDecoupled()
    {
        var (mo, v) = (new double[2], new double[2]);
        var expected = Reference(3, (t, i, w, g) =>
        {
            mo[i] = 0.9 * mo[i] + 0.1 * g;
            v[i] = 0.999 * v[i] + 0.001 * g * g;
            double lrT = Lr * Math.Sqrt(1 - Math.Pow(0.999, t + 1)) / (1 - Math.Pow(0.9, t + 1));
            return w - lrT * mo[i] / (Math.Sqrt(v[i]) + 1e-8) - Lr * 0.1 * w;
        });
        var m = new AdamWModel();
        AssertTrains(m, () => m.TrainStep(Target, Lr), expected, 3);
    }

    [Fact]
    public void Adagrad()
    {
        var acc = new[] { 0.1, 0.1 };
        var expected = Reference(4, (t, i, w, g) => { acc[i] += g * g; return w - Lr * g / Math.Sqrt(acc[i]); });
        var m = new AdagradModel();
        AssertTrains(m, () => m.TrainStep(Target, Lr), expected, 4);
        Assert.Equal(new[] { 0.1f, 0.1f }, new AdagradModel().Variables.W.Data.Length == 2 ? new[] { 0.1f, 0.1f } : null);
    }

    [Fact]
    public void RMSProp()
    {
        var ms = new double[2];
        var expected = Reference(4, (t, i, w, g) => { ms[i] = 0.9 * ms[i] + 0.1 * g * g; return w - Lr * g / Math.Sqrt(ms[i] + 1e-10); });
        var m = new RMSPropModel();
        AssertTrains(m, () => m.TrainStep(Target, Lr), expected, 4);
    }

    [Fact]
    public void ClippingByGlobalNormBoundsTheStep()
    {
        var expected = Reference(2, (t, i, w, g) => 0);
        var w = new[] { 1.0, -2.0 };
        for (int t = 0; t < 2; t++)
        {
            var g = new[] { 2 * (w[0] - Target[0]), 2 * (w[1] - Target[1]) };
            double norm = Math.Sqrt(g[0] * g[0] + g[1] * g[1]);
            double scale = 0.5 / Math.Max(norm, 0.5);
            for (int i = 0; i < 2; i++) w[i] -= Lr * g[i] * scale;
        }
        var m = new ClippedModel();
        AssertTrains(m, () => m.TrainStep(Target, Lr), w, 2);
    }

    [Fact]
    public void ExponentialDecayWithWarmupFollowsTheGlobalStep()
    {
        // Step 0: warm-up factor 1/1 (1 warm-up step) and decay 0.5^floor(0/2) = 1; steps 2, 3: 0.5.
        double[] rates = [Lr, Lr, Lr * 0.5, Lr * 0.5];
        var expected = Reference(4, (t, i, w, g) => w - rates[t] * g);
        var m = new DecayModel();
        AssertTrains(m, () => m.TrainStep(Target, Lr), expected, 4);
    }

    [Fact]
    public void PiecewiseConstantSchedule()
    {
        double[] rates = [Lr, Lr, Lr * 0.1, Lr * 0.1];
        var expected = Reference(4, (t, i, w, g) => w - rates[t] * g);
        var m = new PiecewiseModel();
        AssertTrains(m, () => m.TrainStep(Target, Lr), expected, 4);
    }

    [Fact]
    public void EveryOptimizerSolvesASmallConvexProblem()
    {
        var models = new (IModel Model, Func<float> Step)[]
        {
            (new MomentumModel(), null!), (new AdamModel(), null!), (new AdagradModel(), null!), (new RMSPropModel(), null!),
        };
        var momentum = new MomentumModel();
        var adam = new AdamModel();
        var adagrad = new AdagradModel();
        var rms = new RMSPropModel();
        for (int t = 0; t < 500; t++)
        {
            momentum.TrainStep(Target, 0.05f);
            adam.TrainStep(Target, 0.05f);
            adagrad.TrainStep(Target, 0.5f);
            rms.TrainStep(Target, 0.01f);
        }
        foreach (var m in new IModel[] { momentum, adam, adagrad, rms })
        {
            var w = m.AllVariables["w"].ToDoubleArray();
            Assert.True(Math.Abs(w[0] - 0.5) < 0.02 && Math.Abs(w[1] - 0.25) < 0.02, $"{m.GetType().Name} ended at [{w[0]}, {w[1]}]");
        }
        Assert.Equal(4, models.Length);
    }
}
