using System.Runtime.InteropServices;
using GraphCompiler.Runtime.Data;

namespace GraphCompiler.Runtime.Tests.Data;

public class BatchTests
{
    private static Dataset<float[]> Rows(int count, int rowLength) =>
        Dataset.FromTensorSlices(Enumerable.Range(0, count * rowLength).Select(i => (float)i).ToArray(), [count, rowLength]);

    private static T[] ArrayBehind<T>(Batch<T> batch) where T : unmanaged =>
        MemoryMarshal.TryGetArray<T>(batch.Memory, out var segment) ? segment.Array! : throw new InvalidOperationException("not array-backed");

    [Fact]
    public void Batch_OfUnmanagedArrays_IsContiguousWithShape_AndKeepsTheRemainder()
    {
        Dataset<Batch<float>> batched = Rows(5, 3).Batch(2);
        var batches = batched.ToList();
        Assert.Equal(3, batches.Count);
        Assert.Equal([2, 3], batches[0].Shape);
        Assert.Equal([0f, 1, 2, 3, 4, 5], batches[0].Span.ToArray());
        Assert.Equal([6f, 7, 8, 9, 10, 11], batches[1].ToArray());
        Assert.Equal([1, 3], batches[2].Shape);
        Assert.Equal(1, batches[2].Count);
        Assert.Equal([12f, 13, 14], batches[2].Span.ToArray());
        Assert.Equal([9f, 10, 11], batches[1].Row(1).ToArray());
        Assert.Equal(3, batches[0].RowLength);
    }

    [Fact]
    public void Batch_DropRemainder_DropsTheShortBatch()
    {
        Dataset<Batch<float>> batched = Rows(5, 3).Batch(2, dropRemainder: true);
        var batches = batched.ToList();
        Assert.Equal(2, batches.Count);
        Assert.All(batches, b => Assert.Equal([2, 3], b.Shape));
        Assert.Equal(2, Rows(4, 1).Batch(2, true).Count());
    }

    [Fact]
    public void Batch_WithElementShape_ReportsTheFullShape()
    {
        var batch = Rows(4, 6).Batch(4, false, [2, 3]).Single();
        Assert.Equal([4, 2, 3], batch.Shape);
        var e = Assert.Throws<InvalidOperationException>(() => Rows(4, 6).Batch(4, false, [2, 2]).ToList());
        Assert.Contains("element shape [2, 2] holds 4 values but element 0 has 6", e.Message);
    }

    [Fact]
    public void Batch_RowsOfDifferentLength_NameTheElement()
    {
        var ragged = Dataset.FromArray(new[] { new[] { 1f, 2f }, [3f, 4f], [5f] });
        var e = Assert.Throws<InvalidOperationException>(() => ragged.Batch(3).ToList());
        Assert.Contains("element 2 has 1 values but the first element had 2", e.Message);
    }

    [Fact]
    public void Batch_OfOtherTypes_GivesArraysOfItems()
    {
        Dataset<string[]> batched = Dataset.FromArray(new[] { "a", "b", "c" }).Batch(2);
        Assert.Equal([["a", "b"], ["c"]], batched.ToArray());
        Assert.Equal([["a", "b"]], Dataset.FromArray(new[] { "a", "b", "c" }).Batch(2, dropRemainder: true).ToArray());
        Dataset<string[][]> nested = Dataset.FromArray(new[] { new[] { "x" } }).Batch(1);
        Assert.Single(nested);
    }

    [Fact]
    public void Batch_OfPairs_GivesTwoContiguousBatches()
    {
        var features = Rows(3, 2);
        var labels = Dataset.FromTensorSlices(new[] { 10, 11, 12 }, [3]);
        Dataset<(Batch<float> First, Batch<int> Second)> batched = Dataset.Zip(features, labels).Batch(2);
        var batches = batched.ToList();
        Assert.Equal(2, batches.Count);
        Assert.Equal([0f, 1, 2, 3], batches[0].First.Span.ToArray());
        Assert.Equal([10, 11], batches[0].Second.Span.ToArray());
        Assert.Equal([1, 1], batches[1].Second.Shape);
        Assert.Equal([12], batches[1].Second.Span.ToArray());
    }

    [Fact]
    public void Batch_OfTriplesAndQuadruples_GivesOneContiguousBatchPerPart()
    {
        var labels = Dataset.FromTensorSlices(new[] { 10, 11, 12 }, [3]);
        var weights = Dataset.FromTensorSlices(new[] { 0.5, 1.5, 2.5 }, [3]);
        Dataset<(Batch<float> First, Batch<int> Second, Batch<double> Third)> triples = Dataset.Zip(Rows(3, 2), labels, weights).Batch(2);
        var batches = triples.ToList();
        Assert.Equal(2, batches.Count);
        Assert.Equal([0f, 1, 2, 3], batches[0].First.Span.ToArray());
        Assert.Equal([10, 11], batches[0].Second.Span.ToArray());
        Assert.Equal([0.5, 1.5], batches[0].Third.Span.ToArray());
        Assert.Equal([1, 1], batches[1].Third.Shape);
        Assert.Equal([2.5], batches[1].Third.Span.ToArray());

        var quads = Dataset.Zip(Rows(5, 1), labels, weights, Rows(4, 3)).Batch(2, dropRemainder: true).ToList();
        // The zip stops at the shortest part (3 elements), and the remainder is dropped.
        var only = Assert.Single(quads);
        Assert.Equal([0f, 1], only.First.Span.ToArray());
        Assert.Equal([0f, 1, 2, 3, 4, 5], only.Fourth.Span.ToArray());
        Assert.Equal([2, 3], only.Fourth.Shape);
    }

    [Fact]
    public void Batch_DisposedBuffers_AreReusedByLaterBatches()
    {
        var ds = Rows(8, 4).Batch(2);
        var seen = new HashSet<float[]>(ReferenceEqualityComparer.Instance);
        int batches = 0;
        foreach (var batch in ds)
        {
            Assert.Equal(batches * 8, (int)batch.Span[0]);
            seen.Add(ArrayBehind(batch));
            batch.Dispose();
            batches++;
        }
        Assert.Equal(4, batches);
        Assert.Single(seen);
    }

    [Fact]
    public void Batch_KeptBatches_AreNotOverwritten()
    {
        var batches = Rows(6, 2).Batch(2).ToList();
        Assert.Equal(3, batches.Select(ArrayBehind).Distinct(ReferenceEqualityComparer.Instance).Count());
        Assert.Equal([8f, 9, 10, 11], batches[2].ToArray());
    }

    [Fact]
    public void Batch_AfterDispose_RefusesAccess()
    {
        var batch = Rows(2, 2).Batch(2).Single();
        var copy = batch.ToArray();
        batch.Dispose();
        batch.Dispose();
        Assert.Throws<ObjectDisposedException>(() => batch.Span.Length);
        Assert.Equal([0f, 1, 2, 3], copy);
    }

    [Fact]
    public void Batch_RejectsNonPositiveSize()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Rows(2, 2).Batch(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Dataset.FromArray(new[] { "a" }).Batch(-1));
    }
}
