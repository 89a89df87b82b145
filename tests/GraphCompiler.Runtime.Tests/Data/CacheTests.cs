using GraphCompiler.Runtime.Data;

namespace GraphCompiler.Runtime.Tests.Data;

public class CacheTests
{
    [Fact]
    public void MemoryCache_ReadsTheSourceOnce()
    {
        var source = new CountingSource();
        var ds = source.Integers(5).Map(i => i * 2).Cache();
        Assert.Equal([0, 2, 4, 6, 8], ds.ToArray());
        Assert.Equal([0, 2, 4, 6, 8], ds.ToArray());
        Assert.Equal(1, source.StartedPasses);
    }

    [Fact]
    public void MemoryCache_IncompletePass_IsNotCached()
    {
        var source = new CountingSource();
        var ds = source.Integers(5).Cache();
        Assert.Equal([0, 1], ds.Take(2).ToArray());
        Assert.Equal([0, 1, 2, 3, 4], ds.ToArray());
        Assert.Equal([0, 1, 2, 3, 4], ds.ToArray());
        Assert.Equal(2, source.StartedPasses);
    }

    [Fact]
    public void MemoryCache_OfBatches_PinsTheirBuffers()
    {
        var ds = Dataset.FromTensorSlices(new[] { 1f, 2f, 3f, 4f }, [4, 1]).Batch(2).Cache();
        foreach (var batch in ds) batch.Dispose();
        // Disposing cached batches must not hand their buffers back, or the replay would read reused memory.
        Assert.Equal([[1f, 2f], [3f, 4f]], ds.Select(b => b.ToArray()).ToArray());
    }

    [Fact]
    public void FileCache_WritesOnTheFirstPass_AndReadsTheFileAfterwards()
    {
        using var dir = new TempDirectory();
        var path = dir.File("cache/train.bin");
        var source = new CountingSource();
        var ds = source.Integers(4).Map(i => new[] { i, i * i }).Cache(path);
        var first = ds.ToArray();
        Assert.True(File.Exists(path));
        Assert.False(File.Exists(path + ".partial"));
        Assert.Equal(first, ds.ToArray());
        Assert.Equal(1, source.StartedPasses);

        // Another pipeline over the same file never touches its source.
        var other = new CountingSource();
        Assert.Equal([[0, 0], [1, 1], [2, 4], [3, 9]], other.Integers(4).Map(i => new[] { -1 }).Cache(path).ToArray());
        Assert.Equal(0, other.StartedPasses);
    }

    [Fact]
    public void FileCache_StalePartialFile_IsIgnoredAndReplaced()
    {
        using var dir = new TempDirectory();
        var path = dir.File("data.cache");
        // What a killed process leaves behind: a half-written temporary file.
        File.WriteAllBytes(path + ".partial", [0x47, 0x43, 0x44, 0x53, 1, 2, 3]);
        var source = new CountingSource();
        var ds = source.Integers(3).Map(i => new[] { (float)i }).Cache(path);
        Assert.Equal([[0f], [1f], [2f]], ds.ToArray());
        Assert.Equal(1, source.StartedPasses);
        Assert.False(File.Exists(path + ".partial"));
        Assert.Equal([[0f], [1f], [2f]], ds.ToArray());
        Assert.Equal(1, source.StartedPasses);
    }

    [Fact]
    public void FileCache_IncompletePass_LeavesNoCacheFile()
    {
        using var dir = new TempDirectory();
        var path = dir.File("data.cache");
        var source = new CountingSource();
        var ds = source.Integers(10).Map(i => new[] { (double)i }).Cache(path);
        Assert.Equal(2, ds.Take(2).Count());
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".partial"));
        Assert.Equal(10, ds.Count());
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void FileCache_OfAnotherElementType_IsRefused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("data.cache");
        _ = Dataset.FromArray(new[] { new[] { 1f } }).Cache(path).ToArray();
        var e = Assert.Throws<InvalidDataException>(() => Dataset.FromArray(new[] { new[] { 1 } }).Cache(path).ToArray());
        Assert.Contains("holds System.Single[] elements but this dataset caches System.Int32[]", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void FileCache_DamagedFile_NamesTheFileAndOffset()
    {
        using var dir = new TempDirectory();
        var path = dir.File("data.cache");
        _ = Dataset.FromArray(new[] { new[] { 1f, 2f }, [3f, 4f] }).Cache(path).ToArray();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^12]);
        var e = Assert.Throws<InvalidDataException>(() => Dataset.FromArray(Array.Empty<float[]>()).Cache(path).ToArray());
        Assert.Contains(path, e.Message);
        Assert.Contains("damaged at offset", e.Message);

        File.WriteAllText(path, "not a cache");
        Assert.Contains("not a usable dataset cache file", Assert.Throws<InvalidDataException>(() => Dataset.FromArray(Array.Empty<float[]>()).Cache(path).ToArray()).Message);
    }

    [Fact]
    public void FileCache_OfStringsAndPairs_RoundTrips()
    {
        using var dir = new TempDirectory();
        var lines = new[] { "first", "", "ünïcode" };
        Assert.Equal(lines, Dataset.FromArray(lines).Cache(dir.File("s.cache")).ToArray());
        Assert.Equal(lines, Dataset.FromArray(Array.Empty<string>()).Cache(dir.File("s.cache")).ToArray());

        var pairs = Dataset.Zip(Dataset.FromTensorSlices(new[] { 1f, 2f, 3f, 4f }, [2, 2]), Dataset.FromTensorSlices(new long[] { 7, 8 }, [2]));
        var written = pairs.Cache(dir.File("p.cache")).ToArray();
        var read = Dataset.Zip(Dataset.FromArray(Array.Empty<float[]>()), Dataset.FromArray(Array.Empty<long[]>())).Cache(dir.File("p.cache")).ToArray();
        Assert.Equal(2, read.Length);
        Assert.Equal(written[1].First, read[1].First);
        Assert.Equal([8L], read[1].Second);
    }
}
