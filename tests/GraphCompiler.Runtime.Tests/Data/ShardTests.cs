using GraphCompiler.Runtime.Data;

namespace GraphCompiler.Runtime.Tests.Data;

public class ShardTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void TheShardsPartitionTheElementsAndEachStepOfTheGlobalBatch(int world)
    {
        const int batch = 7 * 6;
        // A fresh pipeline per reader, as each rank builds its own (a shuffle's order depends on its pass count).
        Dataset<int> Source() => Dataset.FromArray(Enumerable.Range(0, 100).ToArray()).Shuffle(100, seed: 3).Repeat();
        var global = Source().Take(4 * batch).ToArray();
        int perRank = batch / world;
        var shards = Enumerable.Range(0, world).Select(r => Source().Shard(world, r).Take(4 * batch / world).ToArray()).ToArray();
        Assert.Equal(global.OrderBy(x => x), shards.SelectMany(s => s).OrderBy(x => x));
        // Batched by batch/world, the ranks' k-th batches together are the k-th global batch.
        for (int k = 0; k < 4; k++)
            Assert.Equal(global.Skip(k * batch).Take(batch).OrderBy(x => x), shards.SelectMany(s => s.Skip(k * perRank).Take(perRank)).OrderBy(x => x));
    }

    [Fact]
    public void BadShardArgumentsAreRejected()
    {
        var ds = Dataset.FromArray(new[] { 1, 2, 3 });
        Assert.Throws<ArgumentOutOfRangeException>(() => ds.Shard(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ds.Shard(2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ds.Shard(2, -1));
        Assert.Equal(new[] { 2 }, ds.Shard(2, 1).ToArray());
    }
}
