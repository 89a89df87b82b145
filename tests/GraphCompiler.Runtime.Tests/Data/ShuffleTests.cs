using GraphCompiler.Runtime.Data;

namespace GraphCompiler.Runtime.Tests.Data;

public class ShuffleTests
{
    private static Dataset<int> Range(int n) => Dataset.FromArray(Enumerable.Range(0, n).ToArray());

    [Fact]
    public void Shuffle_IsAPermutation()
    {
        var shuffled = Range(1000).Shuffle(100, seed: 7).ToArray();
        Assert.Equal(Enumerable.Range(0, 1000), shuffled.Order());
        Assert.NotEqual(Enumerable.Range(0, 1000), shuffled);
    }

    [Fact]
    public void Shuffle_SameSeed_SameOrder_AcrossDatasets()
    {
        var a = Range(200).Shuffle(50, seed: 42).ToArray();
        var b = Range(200).Shuffle(50, seed: 42).ToArray();
        Assert.Equal(a, b);
    }

    [Fact]
    public void Shuffle_DifferentSeeds_DifferentOrders()
    {
        var a = Range(200).Shuffle(200, seed: 1).ToArray();
        var b = Range(200).Shuffle(200, seed: 2).ToArray();
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Shuffle_ReshufflesEachPass_Deterministically()
    {
        var ds = Range(100).Shuffle(100, seed: 3);
        var first = ds.ToArray();
        var second = ds.ToArray();
        Assert.NotEqual(first, second);
        Assert.Equal(Enumerable.Range(0, 100), second.Order());

        // A fresh pipeline with the same seed goes through the same sequence of epochs.
        var again = Range(100).Shuffle(100, seed: 3);
        Assert.Equal(first, again.ToArray());
        Assert.Equal(second, again.ToArray());
    }

    [Fact]
    public void Shuffle_WithoutReshuffle_RepeatsTheSameOrder()
    {
        var ds = Range(100).Shuffle(100, seed: 3, reshuffleEachIteration: false);
        Assert.Equal(ds.ToArray(), ds.ToArray());
    }

    [Fact]
    public void Shuffle_BeforeRepeat_GivesEachEpochItsOwnOrder()
    {
        var epochs = Range(50).Shuffle(50, seed: 9).Repeat(2).Chunk(50).ToArray();
        Assert.Equal(2, epochs.Length);
        Assert.Equal(Enumerable.Range(0, 50), epochs[0].Order());
        Assert.Equal(Enumerable.Range(0, 50), epochs[1].Order());
        Assert.NotEqual(epochs[0], epochs[1]);
    }

    [Fact]
    public void Shuffle_FollowsBufferSemantics_NoElementComesOutBeforeItCouldHaveEnteredTheBuffer()
    {
        const int buffer = 10;
        var shuffled = Range(500).Shuffle(buffer, seed: 11).ToArray();
        // At output position p the buffer has seen inputs 0 .. p + buffer - 1 only.
        for (int p = 0; p < shuffled.Length; p++)
            Assert.True(shuffled[p] <= p + buffer - 1, $"element {shuffled[p]} came out at position {p}");
        Assert.Equal(Enumerable.Range(0, 500), Range(500).Shuffle(1, seed: 11));
    }

    [Fact]
    public void Shuffle_WithBufferAsLargeAsTheData_MovesEveryElementEvenly()
    {
        // Over many epochs, element 0 should land in each half about equally often (a biased shuffle would not).
        var ds = Range(10).Shuffle(10, seed: 5);
        int firstHalf = 0;
        const int epochs = 2000;
        for (int e = 0; e < epochs; e++)
            if (Array.IndexOf(ds.ToArray(), 0) < 5) firstHalf++;
        Assert.InRange(firstHalf, epochs * 0.45, epochs * 0.55);
    }
}
