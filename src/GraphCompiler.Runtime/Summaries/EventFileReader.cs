using System.Buffers.Binary;
using Google.Protobuf;

namespace GraphCompiler.Runtime.Summaries;

/// <summary>
/// Reads TensorBoard event files back: checks the framing and both CRCs of every record and decodes
/// events, summary values and graphs. A final record cut short is reported in
/// <see cref="EventFileContents.TruncatedAtOffset"/>; a checksum mismatch or undecodable record throws
/// <see cref="InvalidDataException"/> naming the file and the record's offset.
/// </summary>
public static class EventFileReader
{
    public static EventFileContents Read(string path)
    {
        var bytes = ReadShared(path);
        var events = new List<EventRecord>();
        long offset = 0;
        while (offset < bytes.Length)
        {
            long remaining = bytes.Length - offset;
            if (remaining < 12) return new EventFileContents(path, events, offset);
            var header = bytes.AsSpan((int)offset, 12);
            uint lengthCrc = Crc32C.Unmask(BinaryPrimitives.ReadUInt32LittleEndian(header[8..]));
            if (lengthCrc != Crc32C.Compute(header[..8]))
                throw new InvalidDataException($"event file '{path}': the length of the record at offset {offset} fails its CRC (corrupt file)");
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            if (length > (ulong)(remaining - TfRecord.Overhead)) return new EventFileContents(path, events, offset);

            var data = bytes.AsSpan((int)offset + 12, (int)length);
            uint dataCrc = Crc32C.Unmask(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)offset + 12 + (int)length, 4)));
            if (dataCrc != Crc32C.Compute(data))
                throw new InvalidDataException($"event file '{path}': the data of the record at offset {offset} fails its CRC (corrupt file)");
            try
            {
                events.Add(DecodeEvent(data.ToArray()));
            }
            catch (Exception e) when (e is InvalidProtocolBufferException or FormatException)
            {
                throw new InvalidDataException($"event file '{path}': the record at offset {offset} is not a valid Event ({e.Message})", e);
            }
            offset += 12 + (long)length + 4;
        }
        return new EventFileContents(path, events, null);
    }

    // The writer may still have the file open (as TensorBoard finds it), so share it for writing too.
    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>The nodes of a serialized <c>GraphDef</c>.</summary>
    public static IReadOnlyList<GraphNode> DecodeGraph(byte[] graphDef)
    {
        var nodes = new List<GraphNode>();
        ForEachField(graphDef, (input, field) =>
        {
            if (field != EventEncoding.GraphNode) return false;
            string name = "", op = "";
            var inputs = new List<string>();
            ForEachField(input.ReadBytes().ToByteArray(), (node, nodeField) =>
            {
                switch (nodeField)
                {
                    case EventEncoding.NodeName: name = node.ReadString(); return true;
                    case EventEncoding.NodeOp: op = node.ReadString(); return true;
                    case EventEncoding.NodeInput: inputs.Add(node.ReadString()); return true;
                    default: return false;
                }
            });
            nodes.Add(new GraphNode(name, op, inputs));
            return true;
        });
        return nodes;
    }

    private static EventRecord DecodeEvent(byte[] data)
    {
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        byte[]? graphDef = null;
        var values = new List<SummaryValue>();
        ForEachField(data, (input, field) =>
        {
            switch (field)
            {
                case EventEncoding.EventWallTime: wallTime = input.ReadDouble(); return true;
                case EventEncoding.EventStep: step = input.ReadInt64(); return true;
                case EventEncoding.EventFileVersion: fileVersion = input.ReadString(); return true;
                case EventEncoding.EventGraphDef: graphDef = input.ReadBytes().ToByteArray(); return true;
                case EventEncoding.EventSummary:
                    ForEachField(input.ReadBytes().ToByteArray(), (summary, summaryField) =>
                    {
                        if (summaryField != EventEncoding.SummaryValue) return false;
                        values.Add(DecodeValue(summary.ReadBytes().ToByteArray()));
                        return true;
                    });
                    return true;
                default: return false;
            }
        });
        return new EventRecord(wallTime, step, fileVersion, graphDef, values);
    }

    private static SummaryValue DecodeValue(byte[] data)
    {
        string tag = "";
        float? simple = null;
        HistogramData? histogram = null;
        ImageValue? image = null;
        TensorValue? tensor = null;
        string? plugin = null;
        int dataClass = 0;
        ForEachField(data, (input, field) =>
        {
            switch (field)
            {
                case EventEncoding.ValueTag: tag = input.ReadString(); return true;
                case EventEncoding.ValueSimpleValue: simple = input.ReadFloat(); return true;
                case EventEncoding.ValueHisto: histogram = DecodeHistogram(input.ReadBytes().ToByteArray()); return true;
                case EventEncoding.ValueImage: image = DecodeImage(input.ReadBytes().ToByteArray()); return true;
                case EventEncoding.ValueTensor: tensor = DecodeTensor(input.ReadBytes().ToByteArray()); return true;
                case EventEncoding.ValueMetadata:
                    ForEachField(input.ReadBytes().ToByteArray(), (metadata, metadataField) =>
                    {
                        switch (metadataField)
                        {
                            case EventEncoding.MetadataDataClass: dataClass = metadata.ReadInt32(); return true;
                            case EventEncoding.MetadataPluginData:
                                ForEachField(metadata.ReadBytes().ToByteArray(), (pluginData, pluginField) =>
                                {
                                    if (pluginField != EventEncoding.PluginName) return false;
                                    plugin = pluginData.ReadString();
                                    return true;
                                });
                                return true;
                            default: return false;
                        }
                    });
                    return true;
                default: return false;
            }
        });
        return new SummaryValue(tag, simple, histogram, image, tensor, plugin, dataClass);
    }

    private static HistogramData DecodeHistogram(byte[] data)
    {
        double min = 0, max = 0, num = 0, sum = 0, sumSquares = 0;
        var limits = new List<double>();
        var counts = new List<double>();
        ForEachField(data, (input, field, wireType) =>
        {
            switch (field)
            {
                case EventEncoding.HistoMin: min = input.ReadDouble(); return true;
                case EventEncoding.HistoMax: max = input.ReadDouble(); return true;
                case EventEncoding.HistoNum: num = input.ReadDouble(); return true;
                case EventEncoding.HistoSum: sum = input.ReadDouble(); return true;
                case EventEncoding.HistoSumSquares: sumSquares = input.ReadDouble(); return true;
                case EventEncoding.HistoBucketLimit: ReadDoubles(input, wireType, limits); return true;
                case EventEncoding.HistoBucket: ReadDoubles(input, wireType, counts); return true;
                default: return false;
            }
        });
        return new HistogramData(min, max, num, sum, sumSquares, limits, counts);
    }

    private static ImageValue DecodeImage(byte[] data)
    {
        int height = 0, width = 0, colorspace = 0;
        byte[] encoded = [];
        ForEachField(data, (input, field) =>
        {
            switch (field)
            {
                case EventEncoding.ImageHeight: height = input.ReadInt32(); return true;
                case EventEncoding.ImageWidth: width = input.ReadInt32(); return true;
                case EventEncoding.ImageColorspace: colorspace = input.ReadInt32(); return true;
                case EventEncoding.ImageEncoded: encoded = input.ReadBytes().ToByteArray(); return true;
                default: return false;
            }
        });
        return new ImageValue(height, width, colorspace, encoded);
    }

    private const int TensorFloatVal = 5;

    private static TensorValue DecodeTensor(byte[] data)
    {
        int dtype = 0;
        var shape = new List<long>();
        byte[] content = [];
        var strings = new List<byte[]>();
        var floats = new List<float>();
        ForEachField(data, (input, field, wireType) =>
        {
            switch (field)
            {
                case EventEncoding.TensorDType: dtype = input.ReadEnum(); return true;
                case EventEncoding.TensorContent: content = input.ReadBytes().ToByteArray(); return true;
                case EventEncoding.TensorStringVal: strings.Add(input.ReadBytes().ToByteArray()); return true;
                case TensorFloatVal:
                    if (wireType == WireFormat.WireType.LengthDelimited)
                    {
                        var packed = input.ReadBytes().Span;
                        for (int i = 0; i + 4 <= packed.Length; i += 4) floats.Add(BinaryPrimitives.ReadSingleLittleEndian(packed[i..]));
                    }
                    else floats.Add(input.ReadFloat());
                    return true;
                case EventEncoding.TensorShape:
                    ForEachField(input.ReadBytes().ToByteArray(), (shapeInput, shapeField) =>
                    {
                        if (shapeField != EventEncoding.ShapeDim) return false;
                        long size = 0;
                        ForEachField(shapeInput.ReadBytes().ToByteArray(), (dim, dimField) =>
                        {
                            if (dimField != EventEncoding.DimSize) return false;
                            size = dim.ReadInt64();
                            return true;
                        });
                        shape.Add(size);
                        return true;
                    });
                    return true;
                default: return false;
            }
        });
        return new TensorValue(dtype, shape, content, strings, floats);
    }

    // Repeated doubles arrive packed (length-delimited) from proto3 writers, one by one from older ones.
    private static void ReadDoubles(CodedInputStream input, WireFormat.WireType wireType, List<double> into)
    {
        if (wireType != WireFormat.WireType.LengthDelimited)
        {
            into.Add(input.ReadDouble());
            return;
        }
        var packed = input.ReadBytes().Span;
        if (packed.Length % 8 != 0) throw new FormatException($"a packed double field holds {packed.Length} bytes, not a multiple of 8");
        for (int i = 0; i < packed.Length; i += 8) into.Add(BinaryPrimitives.ReadDoubleLittleEndian(packed[i..]));
    }

    /// <summary>Calls <paramref name="onField"/> for each field; fields it does not read (returns false) are skipped.</summary>
    private static void ForEachField(byte[] message, Func<CodedInputStream, int, bool> onField) =>
        ForEachField(message, (input, field, _) => onField(input, field));

    private static void ForEachField(byte[] message, Func<CodedInputStream, int, WireFormat.WireType, bool> onField)
    {
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (!onField(input, WireFormat.GetTagFieldNumber(tag), WireFormat.GetTagWireType(tag))) input.SkipLastField();
        }
    }
}
