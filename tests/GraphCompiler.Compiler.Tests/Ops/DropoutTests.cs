using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Passes;
using GraphCompiler.Compiler.Random;
using GraphCompiler.Compiler.Reference;

namespace GraphCompiler.Compiler.Tests.Ops;

/// <summary>The reference semantics of dropout: identity at inference, a seeded counter-based mask in training.</summary>
public class DropoutTests
{
    private const int N = 4000;

    private static (double[] Y, double[] Dx) Run(RunContext run, double rate = 0.25, long seed = 11)
    {
        var b = new GraphBuilder("dropout");
        var x = b.Input("x", DType.Float32, Shape.Of(N));
        var y = b.Apply("dropout", new[] { x }, Dropout.Of(rate, seed));
        b.AddOutput("y", y);
        b.AddOutput("dx", Autodiff.Gradients(b, b.Apply("reduce_sum", new[] { y }, Attrs.Of(("axes", new[] { 0 }), ("keepdims", false))), new[] { x })[0]!);
        var data = Enumerable.Range(0, N).Select(i => (double)(float)(1 + i * 0.001)).ToArray();
        var outputs = Interpreter.Outputs(b.Build(), new Dictionary<string, RefTensor> { ["x"] = new(DType.Float32, new[] { N }, data) }, new Dictionary<string, RefTensor>(), run);
        return (outputs["y"].Data, outputs["dx"].Data);
    }

    [Fact]
    public void InferenceIsTheIdentity()
    {
        var (y, dx) = Run(RunContext.Inference);
        Assert.Equal(Enumerable.Range(0, N).Select(i => (double)(float)(1 + i * 0.001)), y);
        Assert.All(dx, d => Assert.Equal(1, d));
    }

    [Fact]
    public void TrainingKeepsAboutKeepOfTheValuesScaledAndTheGradientUsesTheSameMask()
    {
        var (y, dx) = Run(new RunContext(true, 5, 3));
        int kept = y.Count(v => v != 0);
        Assert.InRange(kept, (int)(0.75 * N) - 150, (int)(0.75 * N) + 150);
        for (int i = 0; i < N; i++)
        {
            double x = (float)(1 + i * 0.001);
            if (y[i] != 0) Assert.Equal((double)(float)(x * (float)(1 / 0.75)), y[i]);
            Assert.Equal(y[i] != 0 ? (double)(float)(1 / 0.75) : 0, dx[i]);
        }
    }

    [Fact]
    public void TheMaskIsThePhiloxStreamOfSeedOpSeedAndStep()
    {
        var (y, _) = Run(new RunContext(true, 5, 3));
        var (k0, k1) = PhiloxKey.Derive(5, 11, 0);
        for (int i = 0; i < 64; i++)
        {
            uint word = PhiloxKey.Block((ulong)i / 4, 3, k0, k1)[i % 4];
            Assert.Equal(PhiloxKey.ToUnit(word) < 0.75f, y[i] != 0);
        }
    }

    [Fact]
    public void SameSeedsAndStepRepeatOtherwiseTheMaskChanges()
    {
        var baseline = Run(new RunContext(true, 5, 3)).Y;
        Assert.Equal(baseline, Run(new RunContext(true, 5, 3)).Y);
        Assert.NotEqual(baseline, Run(new RunContext(true, 5, 4)).Y);
        Assert.NotEqual(baseline, Run(new RunContext(true, 6, 3)).Y);
        Assert.NotEqual(baseline, Run(new RunContext(true, 5, 3), seed: 12).Y);
    }

    [Fact]
    public void PlainEvaluationRefusesToGuessTheRun()
    {
        var op = OpRegistry.Get("dropout");
        var e = Assert.Throws<InvalidOperationException>(() => op.Evaluate(new[] { RefTensor.Scalar(1, DType.Float32) }, Dropout.Of(0.5, 1), Array.Empty<int>()));
        Assert.Contains("RunContext", e.Message);
    }
}
