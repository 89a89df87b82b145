using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// Fused kernels with general broadcasts and fused row sums against the reference interpreter, at
/// batch sizes that leave vector tails (odd, 1) and none (empty is covered by the kernels' row loop).
/// </summary>
public class BroadcastAgreementTests
{

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(4_999)] // 74,985 elements: the row kernels are split across cores
    public void ForwardAndTrainStepsAgreeWithTheInterpreter(int n)
    {
        var rng = new Random(n);
        var x = Enumerable.Range(0, n * 15).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var model = new BroadcastModel(seed: 9);
        var feeds = new Dictionary<string, (float[], int[])> { ["x"] = (x, new[] { n, 3, 5 }) };

        var (forward, _) = ReferenceInterpreter.Run(model, BroadcastModel.Ir.Forward, feeds);
        var generated = model.Forward(x);
        Assert.Equal(new[] { n, 3 }, generated.Shape);
        for (int i = 0; i < n * 3; i++) AssertClose(forward["result"].Data[i], generated.Data[i], $"forward[{i}]");

        for (int step = 0; step < 3; step++)
        {
            var trainFeeds = new Dictionary<string, (float[], int[])>(feeds) { ["learning_rate"] = (new[] { 0.1f }, Array.Empty<int>()) };
            var (outputs, updated) = ReferenceInterpreter.Run(model, BroadcastModel.Ir.TrainStep, trainFeeds, training: true);
            float loss = model.TrainStep(x, 0.1f);
            AssertClose(outputs["loss"].Data[0], loss, $"loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step}");
        }
    }

    [Fact]
    public void FusedRowSumsOverAnEmptyAxisAreZero()
    {
        var model = new BroadcastModel(seed: 1);
        // A wide call first leaves values in the arena; the empty one must not read them back.
        var wide = model.RowSums(Enumerable.Range(0, 4 * 7).Select(i => i * 0.1f).ToArray(), n: 4);
        var (reference, _) = ReferenceInterpreter.Run(model, BroadcastModel.Ir.RowSums,
            new Dictionary<string, (float[], int[])> { ["x"] = (Enumerable.Range(0, 4 * 7).Select(i => i * 0.1f).ToArray(), new[] { 4, 7 }) });
        for (int i = 0; i < 4; i++) AssertClose(reference["result"].Data[i], wide.Data[i], $"rowSums[{i}]");
        var empty = model.RowSums(new float[0], n: 4);
        Assert.Equal(new[] { 4 }, empty.Shape);
        Assert.All(empty.Data.ToArray(), v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(200_003)] // above the split threshold, odd: parts of unequal length and a scalar tail
    public void AFlatKernelAgreesWhetherOrNotItIsSplitAcrossCores(int n)
    {
        var rng = new Random(n);
        var x = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 8 - 4)).ToArray();
        var model = new BroadcastModel(seed: 1);
        var (reference, _) = ReferenceInterpreter.Run(model, BroadcastModel.Ir.Flat, new Dictionary<string, (float[], int[])> { ["x"] = (x, new[] { n }) });
        var generated = model.Flat(x).Data;
        for (int i = 0; i < n; i++) AssertClose(reference["result"].Data[i], generated[i], $"flat[{i}]");
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(128, 5)]   // a sampled loss's shape: five noise logits per example
    [InlineData(33, 7)]
    [InlineData(9, 15)]
    [InlineData(5, 17)]    // wider than a vector: the row loop
    [InlineData(4, 0)]     // an empty row sums to zero
    [InlineData(14_000, 5)] // 70,000 elements: split across cores by whole rows
    public void ShortRowSumsOfAStoredPrologueAgreeWithTheInterpreter(int rows, int width)
    {
        var x = Enumerable.Range(0, rows * width).Select(i => (float)Math.Sin(i * 0.7) * 4).ToArray();
        var model = new BroadcastModel(seed: 1);
        var (reference, _) = ReferenceInterpreter.Run(model, BroadcastModel.Ir.SoftplusRowSums, new Dictionary<string, (float[], int[])> { ["x"] = (x, new[] { rows, width }) });
        var (terms, sums) = model.SoftplusRowSums(x, n: rows);
        Assert.Equal(new[] { rows, width }, terms.Shape);
        Assert.Equal(new[] { rows }, sums.Shape);
        for (int i = 0; i < rows * width; i++) AssertClose(reference["item1"].Data[i], terms.Data[i], $"terms[{i}]");
        for (int r = 0; r < rows; r++) AssertClose(reference["item2"].Data[r], sums.Data[r], $"sums[{r}]");
    }

    [Fact]
    public void FusedRowSumsSplitAcrossCoresAgreeWithTheInterpreter()
    {
        const int rows = 20_001, width = 7; // 140,007 elements: split by whole rows
        var x = Enumerable.Range(0, rows * width).Select(i => (float)Math.Sin(i)).ToArray();
        var model = new BroadcastModel(seed: 1);
        var (reference, _) = ReferenceInterpreter.Run(model, BroadcastModel.Ir.RowSums, new Dictionary<string, (float[], int[])> { ["x"] = (x, new[] { rows, width }) });
        var generated = model.RowSums(x, n: rows).Data;
        for (int i = 0; i < rows; i++) AssertClose(reference["result"].Data[i], generated[i], $"rowSums[{i}]");
    }

    [Fact]
    public void TrainStepsWithKernelsSplitAcrossCoresAllocateNothing()
    {
        const int n = 4_999; // 74,985 elements: its kernels take the split path
        var x = Enumerable.Range(0, n * 15).Select(i => (float)Math.Cos(i)).ToArray();
        var model = new BroadcastModel(seed: 2);
        for (int i = 0; i < 3; i++) model.TrainStep(x, 0.01f); // binds the arena and creates the cached lambdas
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) model.TrainStep(x, 0.01f);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
