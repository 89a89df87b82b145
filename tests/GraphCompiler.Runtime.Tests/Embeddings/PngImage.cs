using System.Buffers.Binary;
using System.IO.Compression;

namespace GraphCompiler.Runtime.Tests.Embeddings;

/// <summary>
/// A decoded PNG (8-bit greyscale, RGB or RGBA, not interlaced — what browsers write for
/// screenshots), enough to count coloured pixels in the tests.
/// </summary>
internal sealed class PngImage
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private PngImage(int width, int height, byte[] rgb)
    {
        Width = width;
        Height = height;
        Rgb = rgb;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Pixels as R, G, B bytes, row-major (alpha, if any, dropped).</summary>
    public byte[] Rgb { get; }

    public (byte R, byte G, byte B) Pixel(int x, int y)
    {
        int at = 3 * (y * Width + x);
        return (Rgb[at], Rgb[at + 1], Rgb[at + 2]);
    }

    /// <summary>Pixels in the rectangle within <paramref name="tolerance"/> (per channel) of the colour.</summary>
    public int Count(int left, int top, int right, int bottom, (byte R, byte G, byte B) colour, int tolerance)
    {
        int count = 0;
        for (int y = top; y < bottom; y++)
            for (int x = left; x < right; x++)
            {
                var (r, g, b) = Pixel(x, y);
                if (Math.Abs(r - colour.R) <= tolerance && Math.Abs(g - colour.G) <= tolerance && Math.Abs(b - colour.B) <= tolerance) count++;
            }
        return count;
    }

    public static PngImage Decode(byte[] file)
    {
        if (file.Length < Signature.Length || !file.AsSpan(0, Signature.Length).SequenceEqual(Signature))
            throw new InvalidDataException("not a PNG file (bad signature)");
        int width = 0, height = 0, channels = 0;
        var compressed = new MemoryStream();
        int offset = Signature.Length;
        while (offset + 8 <= file.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(offset));
            string type = System.Text.Encoding.ASCII.GetString(file, offset + 4, 4);
            if (length < 0 || offset + 12L + length > file.Length)
                throw new InvalidDataException($"PNG chunk '{type}' at byte {offset} runs past the end of the file");
            var body = file.AsSpan(offset + 8, length);
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(body);
                    height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
                    byte depth = body[8], colourType = body[9], interlace = body[12];
                    channels = colourType switch { 0 => 1, 2 => 3, 4 => 2, 6 => 4, _ => 0 };
                    if (depth != 8 || channels == 0 || interlace != 0)
                        throw new InvalidDataException($"PNG with bit depth {depth}, colour type {colourType}, interlace {interlace} is not supported");
                    break;
                case "IDAT":
                    compressed.Write(body);
                    break;
            }
            offset += 12 + length;
            if (type == "IEND") break;
        }
        if (channels == 0) throw new InvalidDataException("PNG has no IHDR chunk");

        compressed.Position = 0;
        int stride = width * channels;
        var raw = new byte[(stride + 1) * height];
        using (var inflate = new ZLibStream(compressed, CompressionMode.Decompress))
            inflate.ReadExactly(raw);

        var pixels = new byte[stride * height];
        for (int y = 0; y < height; y++)
        {
            byte filter = raw[y * (stride + 1)];
            var line = raw.AsSpan(y * (stride + 1) + 1, stride);
            var current = pixels.AsSpan(y * stride, stride);
            var previous = y > 0 ? pixels.AsSpan((y - 1) * stride, stride) : new byte[stride];
            for (int i = 0; i < stride; i++)
            {
                int left = i >= channels ? current[i - channels] : 0;
                int up = previous[i];
                int upLeft = i >= channels ? previous[i - channels] : 0;
                int predictor = filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"PNG row {y} has unknown filter {filter}"),
                };
                current[i] = (byte)(line[i] + predictor);
            }
        }

        var rgb = new byte[3 * width * height];
        for (int p = 0; p < width * height; p++)
            for (int c = 0; c < 3; c++)
                rgb[3 * p + c] = channels <= 2 ? pixels[p * channels] : pixels[p * channels + c];
        return new PngImage(width, height, rgb);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
