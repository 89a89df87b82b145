using GraphCompiler.Runtime.Training;

namespace GraphCompiler.Runtime.Tests.Training;

/// <summary>The Fit metrics against values worked out by hand.</summary>
public class MetricsTests
{
    // Three examples of four classes: the label's score is the highest in row 0, tied for the highest
    // (behind an earlier class) in row 1, and third in row 2.
    private static readonly Classified Scores = new(
        new NDArray<float>([3, 4], [0.1f, 0.9f, 0.3f, 0.2f, 0.5f, 0.1f, 0.5f, 0.0f, 0.4f, 0.3f, 0.2f, 0.1f]),
        new[] { 1, 2, 2 });

    private static double Run(Metric metric, params (float Loss, int Count, Classified? Scores)[] batches)
    {
        metric.Reset();
        foreach (var (loss, count, scores) in batches) metric.Update(loss, count, scores);
        return metric.Result();
    }

    [Fact]
    public void AccuracyCountsTheFirstMaximumOnly()
    {
        // Row 0 right; row 1's tie goes to class 0, the first maximum (argmax), not the label 2; row 2 wrong.
        Assert.Equal(1 / 3.0, Run(Metrics.Accuracy(), (0f, 3, Scores)), 12);
    }

    [Fact]
    public void TopKCountsTiesAsInTopK()
    {
        // Row 1: no score above the label's 0.5, so it is in the top 1 and 2 by in_top_k's rule; row 2's label is third.
        Assert.Equal(2 / 3.0, Run(Metrics.TopKAccuracy(1), (0f, 3, Scores)), 12);
        Assert.Equal(2 / 3.0, Run(Metrics.TopKAccuracy(2), (0f, 3, Scores)), 12);
        Assert.Equal(1.0, Run(Metrics.TopKAccuracy(3), (0f, 3, Scores)), 12);
        Assert.Equal("top_5_accuracy", Metrics.TopKAccuracy(5).Name);
        Assert.Throws<ArgumentOutOfRangeException>(() => Metrics.TopKAccuracy(0));
    }

    [Fact]
    public void ANonFiniteScoreOrALabelOutOfRangeNeverCounts()
    {
        var scores = new Classified(new NDArray<float>([2, 2], [float.NaN, 0f, 1f, 0f]), new[] { 0, 5 });
        Assert.Equal(0.0, Run(Metrics.TopKAccuracy(2), (0f, 2, scores)));
    }

    [Fact]
    public void TheMeanLossAndPerplexityWeighBatchesByTheirSize()
    {
        // Batches of 3 at mean loss 1 and 1 at mean loss 3: (3·1 + 1·3) / 4 = 1.5 per example.
        Assert.Equal(1.5, Run(Metrics.MeanLoss(), (1f, 3, null), (3f, 1, null)), 12);
        Assert.Equal(Math.Exp(1.5), Run(Metrics.Perplexity(), (1f, 3, null), (3f, 1, null)), 9);
        Assert.True(double.IsNaN(Metrics.MeanLoss().Result()));
    }

    [Fact]
    public void AccuracyWithoutPredictionsSaysWhatTheModelLacks()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Run(Metrics.Accuracy(), (1f, 3, null)));
        Assert.Contains("Predict", e.Message);
    }

    [Fact]
    public void EarlyStoppingByNameInfersTheModeAndNamesMissingMetrics()
    {
        Assert.Equal(MetricMode.Max, new EarlyStopping("val_top_5_accuracy", patience: 1).Mode);
        Assert.Equal(MetricMode.Min, new EarlyStopping("val_perplexity", patience: 1).Mode);
        Assert.Equal("val_loss", new EarlyStopping("val_loss", patience: 1).Monitor);
    }
}
