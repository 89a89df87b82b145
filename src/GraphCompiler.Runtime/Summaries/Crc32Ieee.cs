namespace GraphCompiler.Runtime.Summaries;

/// <summary>The CRC-32 of zlib and PNG chunks (reflected polynomial 0xEDB88320). <c>Compute("123456789") == 0xCBF43926</c>.</summary>
internal static class Crc32Ieee
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint state = ~crc;
        foreach (byte b in data) state = Table[(state ^ b) & 0xFF] ^ (state >> 8);
        return ~state;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint value = i;
            for (int bit = 0; bit < 8; bit++) value = (value & 1) != 0 ? (value >> 1) ^ 0xEDB88320 : value >> 1;
            table[i] = value;
        }
        return table;
    }
}
