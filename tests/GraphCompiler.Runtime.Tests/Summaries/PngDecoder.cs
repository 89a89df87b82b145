using System.Buffers.Binary;
using System.IO.Compression;

namespace GraphCompiler.Runtime.Tests.Summaries;

/// <summary>
/// Just enough PNG reading to check the encoder: signature, chunk framing and CRCs (computed bit by bit,
/// independently of the encoder's table), IHDR, and the inflated scanlines.
/// </summary>
internal static class PngDecoder
{
    public sealed record Image(int Width, int Height, int BitDepth, int ColorType, byte[] Pixels, IReadOnlyList<string> ChunkTypes);

    public static Image Decode(byte[] png)
    {
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.Equal(signature, png[..8]);
        int offset = 8, width = 0, height = 0, depth = 0, colorType = 0;
        var types = new List<string>();
        using var idat = new MemoryStream();
        while (offset < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            Assert.Equal(BitwiseCrc32(png.AsSpan(offset + 4, 4 + length)), crc);
            types.Add(type);
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    depth = data[8];
                    colorType = data[9];
                    Assert.Equal(0, data[10]);
                    Assert.Equal(0, data[11]);
                    Assert.Equal(0, data[12]);
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
            }
            offset += 12 + length;
        }
        Assert.Equal(png.Length, offset);

        int channels = colorType switch { 0 => 1, 4 => 2, 2 => 3, 6 => 4, _ => throw new InvalidDataException($"color type {colorType}") };
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress)) zlib.CopyTo(inflated);
        var raw = inflated.ToArray();
        int row = width * channels;
        Assert.Equal(height * (row + 1), raw.Length);
        var pixels = new byte[height * row];
        for (int y = 0; y < height; y++)
        {
            Assert.Equal(0, raw[y * (row + 1)]); // filter "none"
            Array.Copy(raw, y * (row + 1) + 1, pixels, y * row, row);
        }
        return new Image(width, height, depth, colorType, pixels, types);
    }

    private static uint BitwiseCrc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320 & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }
}
