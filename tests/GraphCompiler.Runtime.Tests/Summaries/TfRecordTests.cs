using System.Buffers.Binary;
using GraphCompiler.Runtime.Summaries;

namespace GraphCompiler.Runtime.Tests.Summaries;

public sealed class TfRecordTests
{
    [Fact]
    public void Record_is_length_masked_length_crc_data_masked_data_crc()
    {
        var data = "hello record"u8.ToArray();
        using var stream = new MemoryStream();
        TfRecord.Write(stream, data);
        var bytes = stream.ToArray();

        Assert.Equal(data.Length + TfRecord.Overhead, bytes.Length);
        Assert.Equal((ulong)data.Length, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.Equal(Crc32C.Mask(Crc32C.Compute(bytes.AsSpan(0, 8))), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(data, bytes.AsSpan(12, data.Length).ToArray());
        Assert.Equal(Crc32C.Mask(Crc32C.Compute(data)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12 + data.Length)));
    }
}
