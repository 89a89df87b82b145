using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Training;

namespace GraphCompiler.Runtime.Tests.Training;

public class EvaluatePredictTests
{
    [Fact]
    public void Evaluate_WeightsBatchesBySize()
    {
        var values = Enumerable.Range(0, 10).Select(i => (float)i).ToArray();
        var batches = Dataset.FromTensorSlices(values, [10]).Batch(3);
        // Per-batch means 1, 4, 7, 9: unweighted 5.25, weighted by 3,3,3,1 the true mean 4.5.
        float mean = Trainer.Evaluate(batches, b =>
        {
            float sum = 0;
            foreach (var v in b.Span) sum += v;
            return sum / b.Count;
        });
        Assert.Equal(4.5f, mean, 5);

        float unweighted = Trainer.Evaluate(Dataset.FromArray(values).Batch(3), b => b.Average(), batchSize: _ => 1);
        Assert.Equal(5.25f, unweighted, 5);
    }

    [Fact]
    public void Evaluate_WeightsPairsByTheirFirstPart()
    {
        var x = Dataset.FromTensorSlices(new float[] { 1, 1, 1, 5 }, [4, 1]);
        var y = Dataset.FromTensorSlices(new int[] { 0, 0, 0, 0 }, [4]);
        float mean = Trainer.Evaluate(Dataset.Zip(x, y).Batch(3), b => b.First.Span[0]);
        Assert.Equal((1f * 3 + 5f * 1) / 4, mean, 5);
    }

    [Fact]
    public void Evaluate_EmptyDataset_IsAClearError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Trainer.Evaluate(Dataset.FromArray(Array.Empty<int[]>()), _ => 0f));
        Assert.Contains("no batches", e.Message);
    }

    [Fact]
    public void Predict_EnumeratesOutputsLazilyInOrder()
    {
        var source = new Data.CountingSource();
        var outputs = Trainer.Predict(source.Integers(6).Batch(2), b => b.Sum());
        Assert.Equal(0, source.StartedPasses);
        Assert.Equal([1, 5, 9], outputs.ToArray());
    }
}
