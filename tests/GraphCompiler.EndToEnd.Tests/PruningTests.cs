using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Checkpoints;
using GraphCompiler.Runtime.Pruning;
using GraphCompiler.Runtime.Summaries;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>Magnitude pruning of a compiled model: the schedule's sparsity, zeros that survive Adam, summaries, checkpoints.</summary>
public class PruningTests
{
    private sealed class Scalars : ISummarySink
    {
        public List<(string Tag, float Value, long Step)> Written { get; } = new();

        public void Scalar(string tag, float value, long step) => Written.Add((tag, value, step));

        public void Histogram(string tag, ReadOnlySpan<float> values, long step) { }

        public void Image(string tag, ReadOnlySpan<float> pixels, ReadOnlySpan<int> shape, long step) { }

        public void Text(string tag, string text, long step) { }
    }

    [Fact]
    public void MasksFollowTheScheduleAndMaskedWeightsStayZeroThroughAdam()
    {
        var model = new PrunedModel(seed: 2);
        var schedule = new PolynomialDecay(0.25, 0.75, BeginStep: 4, EndStep: 20, Power: 3, Frequency: 4);
        var sink = new Scalars();
        var pruning = new MagnitudePruning(model, schedule, sink);
        Assert.Equal(new[] { "dense/kernel" }, pruning.PrunedVariables);
        var rng = new Random(3);
        var x = Enumerable.Range(0, 8 * 6).Select(_ => (float)rng.NextDouble()).ToArray();
        var y = Enumerable.Range(0, 8 * 4).Select(_ => (float)rng.NextDouble()).ToArray();
        var weights = ((IModel)model).AllVariables["dense/kernel"].ToDoubleArray;
        var mask = () => ((IModel)model).AllVariables["dense/kernel_mask"].ToDoubleArray();
        double expected = 0;
        for (int step = 0; step < 30; step++)
        {
            model.TrainStep(x, y, 0.05f);
            pruning.OnStepEnd(model.GlobalStep);
            if (schedule.UpdatesAt(model.GlobalStep)) expected = Math.Round(24 * schedule.SparsityAt(model.GlobalStep), MidpointRounding.AwayFromZero) / 24;
            Assert.Equal(expected, pruning.Sparsity("dense/kernel"), 10);
            var (w, m) = (weights(), mask());
            for (int i = 0; i < w.Length; i++)
                if (m[i] == 0) Assert.True(w[i] == 0, $"masked weight {i} is {w[i]} after step {model.GlobalStep}");
        }
        Assert.Equal(18, mask().Count(v => v == 0)); // 75 % of 24
        // The schedule by its formula at a middle step: 0.75 + (0.25 − 0.75)·(1 − 8/16)³.
        Assert.Equal(0.6875, schedule.SparsityAt(12), 12);
        Assert.Contains(sink.Written, s => s.Tag == "dense/kernel/sparsity" && s.Step == 20 && Math.Abs(s.Value - 0.75f) < 1e-6);
    }

    [Fact]
    public void CheckpointsHoldTheMasksAndStripSavesWithoutThem()
    {
        var dir = Directory.CreateTempSubdirectory("pruning").FullName;
        try
        {
            var model = new PrunedModel(seed: 2);
            var pruning = new MagnitudePruning(model, new PolynomialDecay(0.5, 0.5, 0, 1, Frequency: 1));
            pruning.OnStepEnd(0);
            var saved = new Saver().Save(model, Path.Combine(dir, "pruned"));
            var restored = new PrunedModel(seed: 9);
            new Saver().Restore(restored, saved);
            Assert.Equal(((IModel)model).AllVariables["dense/kernel_mask"].ToDoubleArray(), ((IModel)restored).AllVariables["dense/kernel_mask"].ToDoubleArray());

            var stripped = pruning.Strip(Path.Combine(dir, "stripped"));
            var file = SafeTensorsFile.Read(Saver.DataFilePath(stripped));
            Assert.True(file.Contains("dense/kernel"));
            Assert.False(file.Contains("dense/kernel_mask"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
