using System.Buffers.Binary;
using System.IO.Compression;

namespace GraphCompiler.Runtime.Summaries;

/// <summary>
/// Encodes 8-bit pixels as PNG: signature, IHDR, one IDAT (zlib stream of scanlines, each with
/// filter byte 0) and IEND, every chunk with its CRC-32.
/// </summary>
public static class PngEncoder
{
    /// <summary>The 8 bytes every PNG file starts with.</summary>
    public static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// Encodes row-major pixels of <paramref name="channels"/> bytes each: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA.
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int height, int width, int channels)
    {
        byte colorType = channels switch
        {
            1 => 0,
            2 => 4,
            3 => 2,
            4 => 6,
            _ => throw new ArgumentOutOfRangeException(nameof(channels), channels, "PNG images have 1 (grey), 2 (grey+alpha), 3 (RGB) or 4 (RGBA) channels"),
        };
        if (height <= 0 || width <= 0)
            throw new ArgumentOutOfRangeException(height <= 0 ? nameof(height) : nameof(width), $"image size {height}x{width} must be positive");
        long rowBytes = (long)width * channels;
        if ((long)height * rowBytes != pixels.Length)
            throw new ArgumentException($"a {height}x{width} image with {channels} channel(s) needs {(long)height * rowBytes} bytes; got {pixels.Length}", nameof(pixels));

        using var png = new MemoryStream();
        png.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;          // bits per channel
        header[9] = colorType;
        header[10] = 0;         // compression: deflate
        header[11] = 0;         // filter method: adaptive (we always pick "none")
        header[12] = 0;         // no interlace
        WriteChunk(png, "IHDR"u8, header);

        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                for (int row = 0; row < height; row++)
                {
                    zlib.WriteByte(0);
                    zlib.Write(pixels.Slice((int)(row * rowBytes), (int)rowBytes));
                }
            }
            WriteChunk(png, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        }
        WriteChunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> field = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(field, data.Length);
        png.Write(field);
        png.Write(type);
        png.Write(data);
        // The chunk CRC covers the type and the data, not the length.
        BinaryPrimitives.WriteUInt32BigEndian(field, Crc32Ieee.Append(Crc32Ieee.Compute(type), data));
        png.Write(field);
    }
}
