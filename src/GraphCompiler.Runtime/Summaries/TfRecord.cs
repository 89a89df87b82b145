using System.Buffers.Binary;

namespace GraphCompiler.Runtime.Summaries;

/// <summary>
/// TFRecord framing: <c>uint64</c> little-endian length, masked CRC-32C of those 8 bytes, the data,
/// masked CRC-32C of the data.
/// </summary>
public static class TfRecord
{
    /// <summary>The framing bytes around each record's data (length 8, two CRCs 4 each).</summary>
    public const int Overhead = 16;

    /// <summary>Writes one framed record.</summary>
    public static void Write(Stream stream, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Mask(Crc32C.Compute(header[..8])));
        stream.Write(header);
        stream.Write(data);
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.Mask(Crc32C.Compute(data)));
        stream.Write(footer);
    }
}
