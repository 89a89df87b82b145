using Google.Protobuf;

namespace GraphCompiler.Runtime.Summaries;

/// <summary>
/// Writes one protobuf message field by field with <see cref="CodedOutputStream"/>. Nested messages
/// are built first and written as length-delimited bytes, which is all the wire format asks.
/// </summary>
internal sealed class ProtoBuilder
{
    private readonly MemoryStream _buffer = new();
    private readonly CodedOutputStream _output;

    public ProtoBuilder() => _output = new CodedOutputStream(_buffer, leaveOpen: true);

    public ProtoBuilder Double(int field, double value)
    {
        _output.WriteTag(field, WireFormat.WireType.Fixed64);
        _output.WriteDouble(value);
        return this;
    }

    public ProtoBuilder Float(int field, float value)
    {
        _output.WriteTag(field, WireFormat.WireType.Fixed32);
        _output.WriteFloat(value);
        return this;
    }

    public ProtoBuilder Int64(int field, long value)
    {
        _output.WriteTag(field, WireFormat.WireType.Varint);
        _output.WriteInt64(value);
        return this;
    }

    public ProtoBuilder Int32(int field, int value)
    {
        _output.WriteTag(field, WireFormat.WireType.Varint);
        _output.WriteInt32(value);
        return this;
    }

    public ProtoBuilder String(int field, string value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteString(value);
        return this;
    }

    public ProtoBuilder Bytes(int field, ReadOnlySpan<byte> value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteBytes(ByteString.CopyFrom(value));
        return this;
    }

    public ProtoBuilder Message(int field, ProtoBuilder message) => Bytes(field, message.ToArray());

    /// <summary>A packed repeated double field (what proto3 writes for <c>repeated double</c>).</summary>
    public ProtoBuilder PackedDoubles(int field, IReadOnlyList<double> values)
    {
        if (values.Count == 0) return this;
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteLength(values.Count * sizeof(double));
        foreach (var value in values) _output.WriteDouble(value);
        return this;
    }

    public byte[] ToArray()
    {
        _output.Flush();
        return _buffer.ToArray();
    }
}
