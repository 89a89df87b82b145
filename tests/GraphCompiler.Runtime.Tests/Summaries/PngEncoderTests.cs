using GraphCompiler.Runtime.Summaries;

namespace GraphCompiler.Runtime.Tests.Summaries;

public sealed class PngEncoderTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 4)]
    [InlineData(3, 2)]
    [InlineData(4, 6)]
    public void Encoded_png_decodes_back_to_the_pixels(int channels, int colorType)
    {
        const int height = 7, width = 13; // odd sizes: no row lines up with anything
        var pixels = new byte[height * width * channels];
        new Random(channels).NextBytes(pixels);

        var image = PngDecoder.Decode(PngEncoder.Encode(pixels, height, width, channels));
        Assert.Equal(["IHDR", "IDAT", "IEND"], image.ChunkTypes);
        Assert.Equal(width, image.Width);
        Assert.Equal(height, image.Height);
        Assert.Equal(8, image.BitDepth);
        Assert.Equal(colorType, image.ColorType);
        Assert.Equal(pixels, image.Pixels);
    }

    [Fact]
    public void One_pixel_image_works()
    {
        var image = PngDecoder.Decode(PngEncoder.Encode([200], 1, 1, 1));
        Assert.Equal([200], image.Pixels);
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        Assert.Contains("needs 12 bytes; got 11", Assert.Throws<ArgumentException>(() => PngEncoder.Encode(new byte[11], 2, 2, 3)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => PngEncoder.Encode(new byte[10], 2, 1, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => PngEncoder.Encode([], 0, 3, 1));
    }
}
