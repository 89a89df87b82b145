using System.Buffers.Binary;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace GraphCompiler.Runtime.Summaries;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of TFRecord framing, with
/// TensorFlow's mask. Uses the CPU's CRC32 instruction (SSE4.2 or ARMv8) where there is one.
/// <c>Compute("123456789") == 0xE3069283</c>.
/// </summary>
public static class Crc32C
{
    private const uint ReflectedPolynomial = 0x82F63B78;
    private const uint MaskDelta = 0xA282EAD8;

    private static readonly uint[] Table = BuildTable();

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Extends a finished CRC-32C <paramref name="crc"/> (of earlier bytes) with <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint state = ~crc;
        if (Sse42.X64.IsSupported)
        {
            ulong wide = state;
            while (data.Length >= 8)
            {
                wide = Sse42.X64.Crc32(wide, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }
            state = (uint)wide;
            foreach (byte b in data) state = Sse42.Crc32(state, b);
        }
        else if (Crc32.Arm64.IsSupported)
        {
            while (data.Length >= 8)
            {
                state = Crc32.Arm64.ComputeCrc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }
            foreach (byte b in data) state = Crc32.ComputeCrc32C(state, b);
        }
        else
        {
            state = UpdateWithTable(state, data);
        }
        return ~state;
    }

    /// <summary>The table-driven CRC-32C, used where the CPU has no CRC instruction (and by tests to cross-check).</summary>
    internal static uint ComputeWithTable(ReadOnlySpan<byte> data) => ~UpdateWithTable(~0u, data);

    /// <summary>
    /// TensorFlow's masked CRC: rotate right by 15 and add a constant, so that a CRC stored inside
    /// checksummed data does not make the outer checksum trivially predictable.
    /// </summary>
    public static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + MaskDelta;

    /// <summary>Inverts <see cref="Mask"/>.</summary>
    public static uint Unmask(uint masked)
    {
        uint rotated = masked - MaskDelta;
        return (rotated >> 17) | (rotated << 15);
    }

    private static uint UpdateWithTable(uint state, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) state = Table[(state ^ b) & 0xFF] ^ (state >> 8);
        return state;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint value = i;
            for (int bit = 0; bit < 8; bit++) value = (value & 1) != 0 ? (value >> 1) ^ ReflectedPolynomial : value >> 1;
            table[i] = value;
        }
        return table;
    }
}
