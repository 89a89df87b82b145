using GraphCompiler.Compiler.Random;

namespace GraphCompiler.Runtime.Tests.Rng;

public class Philox4x32Tests
{
    // Known-answer vectors for Philox4x32-10 published with Random123 (its kat_vectors file):
    // counter words, key words, expected output words.
    [Theory]
    [InlineData(0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u,
        0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [InlineData(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu,
        0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [InlineData(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u,
        0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void Matches_published_known_answers(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1,
        uint e0, uint e1, uint e2, uint e3)
    {
        Assert.Equal(new PhiloxBlock(e0, e1, e2, e3), Philox4x32.Compute(c0, c1, c2, c3, k0, k1));

        var output = new uint[4];
        Philox4x32.Compute([c0, c1, c2, c3], [k0, k1], output);
        Assert.Equal(new[] { e0, e1, e2, e3 }, output);
    }

    [Fact]
    public void Span_form_checks_its_lengths()
    {
        Assert.Throws<ArgumentException>(() => Philox4x32.Compute(new uint[3], new uint[2], new uint[4]));
        Assert.Throws<ArgumentException>(() => Philox4x32.Compute(new uint[4], new uint[1], new uint[4]));
        Assert.Throws<ArgumentException>(() => Philox4x32.Compute(new uint[4], new uint[2], new uint[3]));
    }
}
