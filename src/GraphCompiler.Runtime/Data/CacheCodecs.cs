using System.Runtime.InteropServices;

namespace GraphCompiler.Runtime.Data;

/// <summary>How one element type is written to and read from a dataset cache file.</summary>
internal interface ICacheCodec<T>
{
    /// <summary>Names the element type in the file header, so a cache of another type is refused, not misread.</summary>
    string ElementType { get; }

    void Write(BinaryWriter writer, T item);

    T Read(BinaryReader reader);
}

/// <summary>An array of unmanaged values: a 32-bit length, then the raw little-endian values.</summary>
internal sealed class ArrayCacheCodec<T> : ICacheCodec<T[]> where T : unmanaged
{
    public string ElementType => typeof(T).FullName + "[]";

    public void Write(BinaryWriter writer, T[] item)
    {
        ArgumentNullException.ThrowIfNull(item);
        writer.Write(item.Length);
        writer.Write(MemoryMarshal.AsBytes(item.AsSpan()));
    }

    public T[] Read(BinaryReader reader)
    {
        int length = reader.ReadInt32();
        if (length < 0) throw new InvalidDataException($"negative array length {length}");
        long bytes = (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (bytes > reader.BaseStream.Length - reader.BaseStream.Position)
            throw new InvalidDataException($"an array of {length} values runs past the end of the file");
        var item = new T[length];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(item.AsSpan()));
        return item;
    }
}

/// <summary>A string as BinaryWriter writes it (length-prefixed UTF-8).</summary>
internal sealed class StringCacheCodec : ICacheCodec<string>
{
    public string ElementType => "System.String";

    public void Write(BinaryWriter writer, string item)
    {
        ArgumentNullException.ThrowIfNull(item);
        writer.Write(item);
    }

    public string Read(BinaryReader reader) => reader.ReadString();
}

/// <summary>A pair: the first part, then the second.</summary>
internal sealed class PairCacheCodec<T1, T2>(ICacheCodec<T1> first, ICacheCodec<T2> second) : ICacheCodec<(T1, T2)>
{
    public string ElementType => $"({first.ElementType}, {second.ElementType})";

    public void Write(BinaryWriter writer, (T1, T2) item)
    {
        first.Write(writer, item.Item1);
        second.Write(writer, item.Item2);
    }

    public (T1, T2) Read(BinaryReader reader) => (first.Read(reader), second.Read(reader));
}
