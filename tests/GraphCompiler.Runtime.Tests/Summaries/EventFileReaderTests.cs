using GraphCompiler.Runtime.Summaries;
using GraphCompiler.Runtime.Tests.Checkpoints;

namespace GraphCompiler.Runtime.Tests.Summaries;

public sealed class EventFileReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private (string Path, long LastRecordOffset) WriteThreeScalars()
    {
        string path;
        using (var writer = new SummaryWriter(_dir.Path))
        {
            path = writer.FilePath;
            writer.Scalar("loss", 3, 1);
            writer.Scalar("loss", 2, 2);
            writer.Scalar("loss", 1, 3);
        }
        // Walk the framing to find where the last record starts.
        var bytes = File.ReadAllBytes(path);
        long offset = 0, last = 0;
        while (offset < bytes.Length)
        {
            last = offset;
            offset += 16 + (long)BitConverter.ToUInt64(bytes, (int)offset);
        }
        return (path, last);
    }

    [Theory]
    [InlineData(1)]   // inside the data CRC
    [InlineData(10)]  // inside the data
    [InlineData(-5)]  // inside the length header: only a few bytes of the last record remain
    public void Truncated_final_record_is_reported_not_thrown(int cut)
    {
        var (path, last) = WriteThreeScalars();
        var bytes = File.ReadAllBytes(path);
        int keep = cut > 0 ? bytes.Length - cut : (int)last - cut;
        File.WriteAllBytes(path, bytes[..keep]);

        var contents = EventFileReader.Read(path);
        Assert.True(contents.IsTruncated);
        Assert.Equal(last, contents.TruncatedAtOffset);
        Assert.Equal(3, contents.Events.Count); // version event and the first two scalars
        Assert.Equal(2f, contents.Events[^1].Values[0].SimpleValue);
    }

    [Fact]
    public void Complete_file_is_not_truncated()
    {
        var (path, _) = WriteThreeScalars();
        var contents = EventFileReader.Read(path);
        Assert.False(contents.IsTruncated);
        Assert.Equal(4, contents.Events.Count);
    }

    [Fact]
    public void Corrupt_data_fails_its_crc_with_file_and_offset()
    {
        var (path, last) = WriteThreeScalars();
        var bytes = File.ReadAllBytes(path);
        bytes[last + 14] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => EventFileReader.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains($"record at offset {last} fails its CRC", e.Message);
    }

    [Fact]
    public void Corrupt_length_fails_its_crc()
    {
        var (path, last) = WriteThreeScalars();
        var bytes = File.ReadAllBytes(path);
        bytes[last + 1] ^= 0x80;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => EventFileReader.Read(path));
        Assert.Contains($"length of the record at offset {last}", e.Message);
    }
}
