using System.Buffers.Binary;

namespace GraphCompiler.Runtime.Tests.Checkpoints;

/// <summary>Builds safetensors files byte by byte, so tests can write headers the writer never would.</summary>
internal static class SafeTensorsBytes
{
    /// <summary>The 8-byte little-endian length of <paramref name="header"/>, the header, then <paramref name="data"/>.</summary>
    public static byte[] Assemble(byte[] header, byte[] data)
    {
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }
}
