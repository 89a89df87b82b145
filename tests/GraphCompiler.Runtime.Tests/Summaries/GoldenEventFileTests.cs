using GraphCompiler.Runtime.Summaries;

namespace GraphCompiler.Runtime.Tests.Summaries;

/// <summary>
/// A tiny event file whose bytes were derived by hand from the format (FORMATS.md), with CRCs from
/// an independent bitwise CRC32C; both our encoder and our reader must agree with it.
/// </summary>
public class GoldenEventFileTests
{
    // Record 1: Event { wall_time = 1.5, file_version = "brain.Event:2" } (24 bytes):
    //   09 <1.5 as little-endian double: 00 00 00 00 00 00 f8 3f>  1a 0d "brain.Event:2"
    // Record 2: Event { wall_time = 2.0, step = 3, summary { value { tag = "loss",
    //   metadata { plugin_data { plugin_name = "scalars" } }, simple_value = 0.5 } } } (39 bytes):
    //   09 <2.0: 00 .. 00 40>  10 03  2a 1a | 0a 18 | 0a 04 "loss"  4a 0b 0a 09 0a 07 "scalars"  15 <0.5f: 00 00 00 3f>
    // Framing per record: u64 length, masked CRC32C(length), data, masked CRC32C(data), all little-endian.
    private const string GoldenHex =
        "1800000000000000" + "a37f4b22" +
        "09000000000000f83f1a0d627261696e2e4576656e743a32" + "2a28646c" +
        "2700000000000000" + "bbe1b146" +
        "0900000000000000401003" + "2a1a0a180a046c6f73734a0b0a090a077363616c617273150000003f" + "66bb826c";

    private static byte[] Golden => Convert.FromHexString(GoldenHex);

    [Fact]
    public void OurEncoderWritesTheGoldenBytes()
    {
        using var stream = new MemoryStream();
        TfRecord.Write(stream, EventEncoding.FileVersionEvent(1.5));
        var value = EventEncoding.Value("loss", "scalars").Float(EventEncoding.ValueSimpleValue, 0.5f);
        TfRecord.Write(stream, EventEncoding.SummaryEvent(2.0, 3, value));
        Assert.Equal(GoldenHex, Convert.ToHexString(stream.ToArray()).ToLowerInvariant());
    }

    [Fact]
    public void OurReaderDecodesTheGoldenFile()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, Golden);
            var contents = EventFileReader.Read(path);
            Assert.False(contents.IsTruncated);
            Assert.Equal(2, contents.Events.Count);
            Assert.Equal(1.5, contents.Events[0].WallTime);
            Assert.Equal("brain.Event:2", contents.Events[0].FileVersion);
            var e = contents.Events[1];
            Assert.Equal(2.0, e.WallTime);
            Assert.Equal(3, e.Step);
            var v = Assert.Single(e.Values);
            Assert.Equal("loss", v.Tag);
            Assert.Equal(0.5f, v.SimpleValue);
            Assert.Equal("scalars", v.PluginName);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AFlippedDataByteIsCaughtByTheCrc()
    {
        var path = Path.GetTempFileName();
        try
        {
            var bytes = Golden;
            bytes[20] ^= 0x01; // inside record 1's data
            File.WriteAllBytes(path, bytes);
            var error = Record.Exception(() => EventFileReader.Read(path));
            Assert.NotNull(error);
            Assert.Contains("CRC", error!.Message, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
