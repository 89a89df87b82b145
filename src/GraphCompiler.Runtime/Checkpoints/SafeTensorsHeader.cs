using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace GraphCompiler.Runtime.Checkpoints;

/// <summary>Builds and validates the JSON header of a safetensors file.</summary>
internal static class SafeTensorsHeader
{
    /// <summary>The header JSON for tensors laid out back to back in the given order, padded with spaces to 8 bytes.</summary>
    public static byte[] Build(IReadOnlyList<SafeTensorInfo> infos, IReadOnlyDictionary<string, string>? metadata)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(SafeTensorsFile.MetadataKey);
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var info in infos)
            {
                if (string.IsNullOrEmpty(info.Name)) throw new ArgumentException("a tensor has an empty name", nameof(infos));
                if (info.Name == SafeTensorsFile.MetadataKey) throw new ArgumentException($"'{SafeTensorsFile.MetadataKey}' is reserved and cannot name a tensor", nameof(infos));
                if (!names.Add(info.Name)) throw new ArgumentException($"two tensors are named '{info.Name}'", nameof(infos));
                json.WriteStartObject(info.Name);
                json.WriteString("dtype", SafeTensorDTypes.Name(info.DType));
                json.WriteStartArray("shape");
                foreach (var d in info.Shape)
                {
                    if (d < 0) throw new ArgumentException($"tensor '{info.Name}' has a negative dimension in shape {SafeTensor.ShapeText(info.Shape)}", nameof(infos));
                    json.WriteNumberValue(d);
                }
                json.WriteEndArray();
                long end = checked(offset + info.ByteLength);
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(end);
                json.WriteEndArray();
                json.WriteEndObject();
                offset = end;
            }
            json.WriteEndObject();
        }
        // Pad so the data starts 8-byte aligned, which lets readers map tensors in place.
        int padding = (int)((8 - buffer.Length % 8) % 8);
        for (int i = 0; i < padding; i++) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    /// <summary>
    /// Parses and validates a header: valid UTF-8 JSON, unique keys, known dtypes, non-negative shapes, offsets
    /// that match the byte count of each shape and tile the <paramref name="dataLength"/> bytes of data exactly
    /// (no gap, overlap or trailing bytes). Returns each tensor with its begin offset, sorted by offset.
    /// Every problem is a <see cref="CheckpointException"/> naming <paramref name="path"/>.
    /// </summary>
    public static (List<(SafeTensorInfo Info, long Begin)> Tensors, IReadOnlyDictionary<string, string> Metadata) Parse(byte[] header, long dataLength, string path)
    {
        // The JSON reader checks UTF-8 only in the strings it is asked to decode, and then throws without a file name.
        if (!Utf8.IsValid(header))
            throw SafeTensorsFile.Corrupt(path, $"the header is not valid UTF-8 (the first bad byte is at file offset {8 + FirstInvalidUtf8(header)})");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new CheckpointException(CheckpointErrorKind.Corrupt, $"safetensors file '{path}' is corrupt: the header is not valid JSON ({e.Message})", path, e);
        }
        using (document)
        {
            try
            {
                return Parse(document.RootElement, dataLength, path);
            }
            catch (InvalidOperationException e)
            {
                // Decoding a name or string with an escaped lone surrogate (\ud800) lands here.
                throw new CheckpointException(CheckpointErrorKind.Corrupt, $"safetensors file '{path}' is corrupt: the header holds a string that is not valid Unicode ({e.Message})", path, e);
            }
        }
    }

    private static (List<(SafeTensorInfo Info, long Begin)> Tensors, IReadOnlyDictionary<string, string> Metadata) Parse(JsonElement root, long dataLength, string path)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw SafeTensorsFile.Corrupt(path, $"the header is a JSON {root.ValueKind}, not an object");

        var tensors = new List<(SafeTensorInfo Info, long Begin)>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!seen.Add(property.Name))
                throw SafeTensorsFile.Corrupt(path, $"the header names '{property.Name}' twice");
            if (property.Name.Length == 0)
                throw SafeTensorsFile.Corrupt(path, "the header has a tensor with an empty name");
            if (property.Name == SafeTensorsFile.MetadataKey)
                ReadMetadata(property.Value, metadata, path);
            else
                tensors.Add(ReadTensor(property.Name, property.Value, dataLength, path));
        }
        CheckTiling(tensors, dataLength, path);
        return (tensors, metadata);
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        int index = 0;
        while (index < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[index..], out _, out int consumed) != System.Buffers.OperationStatus.Done) return index;
            index += consumed;
        }
        return index;
    }

    private static void ReadMetadata(JsonElement element, Dictionary<string, string> metadata, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw SafeTensorsFile.Corrupt(path, $"'{SafeTensorsFile.MetadataKey}' is a JSON {element.ValueKind}, not an object of strings");
        foreach (var entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw SafeTensorsFile.Corrupt(path, $"metadata entry '{entry.Name}' is a JSON {entry.Value.ValueKind}, not a string");
            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
                throw SafeTensorsFile.Corrupt(path, $"metadata entry '{entry.Name}' appears twice");
        }
    }

    private static (SafeTensorInfo, long) ReadTensor(string name, JsonElement element, long dataLength, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw SafeTensorsFile.Corrupt(path, $"the entry of tensor '{name}' is a JSON {element.ValueKind}, not an object");

        JsonElement? dtypeElement = null, shapeElement = null, offsetsElement = null;
        foreach (var property in element.EnumerateObject())
        {
            ref JsonElement? field = ref dtypeElement;
            switch (property.Name)
            {
                case "dtype": break;
                case "shape": field = ref shapeElement; break;
                case "data_offsets": field = ref offsetsElement; break;
                default: throw SafeTensorsFile.Corrupt(path, $"tensor '{name}' has an unknown field \"{property.Name}\"");
            }
            if (field is not null)
                throw SafeTensorsFile.Corrupt(path, $"tensor '{name}' has the field \"{property.Name}\" twice");
            field = property.Value;
        }

        if (dtypeElement is not { ValueKind: JsonValueKind.String } dtypeValue)
            throw SafeTensorsFile.Corrupt(path, $"tensor '{name}' has no string \"dtype\"");
        var dtypeName = dtypeValue.GetString()!;
        if (!SafeTensorDTypes.TryParse(dtypeName, out var dtype))
            throw new CheckpointException(CheckpointErrorKind.Corrupt, $"safetensors file '{path}': tensor '{name}' has dtype {dtypeName}, which is not supported (supported: F32, F64, I32, I64, BOOL)", path);

        if (shapeElement is not { ValueKind: JsonValueKind.Array } shapeValue)
            throw SafeTensorsFile.Corrupt(path, $"tensor '{name}' has no \"shape\" array");
        var shape = new List<int>();
        foreach (var dim in shapeValue.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt32(out int size) || size < 0)
                throw SafeTensorsFile.Corrupt(path, $"tensor '{name}' has shape entry {dim.GetRawText()}, not a non-negative 32-bit integer");
            shape.Add(size);
        }

        if (offsetsElement is not { ValueKind: JsonValueKind.Array } offsetsValue || offsetsValue.GetArrayLength() != 2)
            throw SafeTensorsFile.Corrupt(path, $"tensor '{name}' has no \"data_offsets\" pair [begin, end]");
        long begin = ReadOffset(offsetsValue[0], name, path);
        long end = ReadOffset(offsetsValue[1], name, path);
        if (end < begin)
            throw SafeTensorsFile.Corrupt(path, $"tensor '{name}' has data_offsets [{begin}, {end}] that end before they begin");
        if (end > dataLength)
            throw SafeTensorsFile.Corrupt(path, $"tensor '{name}' has data_offsets [{begin}, {end}] past the end of the {dataLength} data bytes (truncated?)");

        if (SafeTensorDTypes.ByteLength(dtype, shape) is not long expected)
            throw SafeTensorsFile.Corrupt(path, $"tensor '{name}' has shape {SafeTensor.ShapeText(shape)}, far more elements than any file holds");
        if (end - begin != expected)
            throw SafeTensorsFile.Corrupt(path, $"tensor '{name}' ({dtypeName} {SafeTensor.ShapeText(shape)}) needs {expected} bytes but its data_offsets [{begin}, {end}] span {end - begin}");
        return (new SafeTensorInfo(name, dtype, shape), begin);
    }

    private static long ReadOffset(JsonElement element, string name, string path)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out long value) || value < 0)
            throw SafeTensorsFile.Corrupt(path, $"tensor '{name}' has data offset {element.GetRawText()}, not a non-negative integer");
        return value;
    }

    private static void CheckTiling(List<(SafeTensorInfo Info, long Begin)> tensors, long dataLength, string path)
    {
        tensors.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.Info.ByteLength.CompareTo(b.Info.ByteLength));
        long expectedBegin = 0;
        string previous = "the start of the data";
        foreach (var (info, begin) in tensors)
        {
            if (begin > expectedBegin)
                throw SafeTensorsFile.Corrupt(path, $"there is a gap of {begin - expectedBegin} bytes between {previous} and tensor '{info.Name}' (data offsets {expectedBegin} to {begin})");
            if (begin < expectedBegin)
                throw SafeTensorsFile.Corrupt(path, $"tensor '{info.Name}' (data offset {begin}) overlaps {previous}, which ends at data offset {expectedBegin}");
            expectedBegin = begin + info.ByteLength;
            previous = $"tensor '{info.Name}'";
        }
        if (expectedBegin != dataLength)
            throw SafeTensorsFile.Corrupt(path, $"{dataLength - expectedBegin} trailing bytes follow the last tensor's data (data offset {expectedBegin} of {dataLength})");
    }
}
