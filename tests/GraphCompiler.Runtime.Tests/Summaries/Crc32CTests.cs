using System.Text;
using GraphCompiler.Runtime.Summaries;

namespace GraphCompiler.Runtime.Tests.Summaries;

public sealed class Crc32CTests
{
    [Theory]
    [InlineData("123456789", 0xE3069283u)]
    [InlineData("", 0u)]
    public void Known_text_vectors(string text, uint expected)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        Assert.Equal(expected, Crc32C.Compute(bytes));
        Assert.Equal(expected, Crc32C.ComputeWithTable(bytes));
    }

    [Fact]
    public void Rfc3720_vectors()
    {
        var zeros = new byte[32];
        var ones = Enumerable.Repeat((byte)0xFF, 32).ToArray();
        var ascending = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(zeros));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(ones));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(ascending));
    }

    [Fact]
    public void Hardware_and_table_paths_agree_on_every_length_and_alignment()
    {
        var random = new Random(7);
        var data = new byte[300];
        random.NextBytes(data);
        for (int start = 0; start < 9; start++)
            for (int length = 0; length < data.Length - start; length += 1 + length / 8)
                Assert.Equal(Crc32C.ComputeWithTable(data.AsSpan(start, length)), Crc32C.Compute(data.AsSpan(start, length)));
    }

    [Fact]
    public void Append_continues_a_finished_crc()
    {
        var data = Encoding.ASCII.GetBytes("the quick brown fox jumps over the lazy dog");
        for (int split = 0; split <= data.Length; split++)
            Assert.Equal(Crc32C.Compute(data), Crc32C.Append(Crc32C.Compute(data.AsSpan(0, split)), data.AsSpan(split)));
    }

    [Fact]
    public void Mask_matches_tensorflows_formula_and_unmask_inverts_it()
    {
        Assert.Equal(0xA282EAD8u, Crc32C.Mask(0));
        Assert.Equal(0xC78AB0E5u, Crc32C.Mask(0xE3069283));
        var random = new Random(3);
        for (int i = 0; i < 1000; i++)
        {
            uint crc = (uint)random.NextInt64(0, 1L << 32);
            Assert.Equal(crc, Crc32C.Unmask(Crc32C.Mask(crc)));
        }
    }

    [Fact]
    public void Png_crc32_known_vector()
    {
        Assert.Equal(0xCBF43926u, Crc32Ieee.Compute("123456789"u8));
    }
}
