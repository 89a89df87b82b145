using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>BERT's optimizer settings against hand-computed references: the linear warm-up and decay, and AdamW's exclusions.</summary>
public class BertOptimizerTests
{
    private static readonly float[] Target = [0.5f, 0.25f];
    private const float Lr = 0.1f;

    [Fact]
    public void LinearDecayWarmsUpThenDecaysToZero()
    {
        // WarmupSteps 2, DecaySteps 5: lr·1/2, lr·2/2, then lr·(1 − s/5) for s = 2..4, then 0 from step 5 on.
        double[] rates = [Lr * 0.5, Lr, Lr * 0.6, Lr * 0.4, Lr * 0.2, 0, 0];
        var w = new[] { 1.0, -2.0 };
        var model = new LinearDecayModel();
        foreach (var rate in rates)
        {
            model.TrainStep(Target, Lr);
            for (int i = 0; i < 2; i++) w[i] -= rate * 2 * (w[i] - Target[i]);
            var actual = ((IModel)model).AllVariables["w"].ToDoubleArray();
            for (int i = 0; i < 2; i++) Assert.True(Math.Abs(w[i] - actual[i]) < 1e-6, $"step {model.GlobalStep}: w[{i}] expected {w[i]}, got {actual[i]}");
        }
    }

    [Fact]
    public void AdamWLeavesExcludedVariablesUndecayed()
    {
        var model = new DecayExclusionModel();
        var reference = new Dictionary<string, double[]>();
        foreach (var (name, decays) in new[] { ("w", true), ("dense/bias", false), ("LayerNorm/gamma", false) })
        {
            var (m, v, w) = (new double[2], new double[2], new[] { 1.0, -2.0 });
            for (int t = 0; t < 3; t++)
                for (int i = 0; i < 2; i++)
                {
                    double g = 2 * (w[i] - Target[i]);
                    m[i] = 0.9 * m[i] + 0.1 * g;
                    v[i] = 0.999 * v[i] + 0.001 * g * g;
                    double lrT = Lr * Math.Sqrt(1 - Math.Pow(0.999, t + 1)) / (1 - Math.Pow(0.9, t + 1));
                    w[i] = w[i] - lrT * m[i] / (Math.Sqrt(v[i]) + 1e-8) - (decays ? Lr * 0.1 * w[i] : 0);
                }
            reference[name] = w;
        }
        for (int t = 0; t < 3; t++) model.TrainStep(Target, Lr);
        foreach (var (name, expected) in reference)
        {
            var actual = ((IModel)model).AllVariables[name].ToDoubleArray();
            for (int i = 0; i < 2; i++) Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-5, $"{name}[{i}]: expected {expected[i]}, got {actual[i]}");
        }
        // The decay is what tells them apart: the excluded ones move alike, the decayed one differently.
        Assert.Equal(((IModel)model).AllVariables["dense/bias"].ToDoubleArray(), ((IModel)model).AllVariables["LayerNorm/gamma"].ToDoubleArray());
        Assert.NotEqual(((IModel)model).AllVariables["w"].ToDoubleArray(), ((IModel)model).AllVariables["dense/bias"].ToDoubleArray());
    }
}
