namespace GraphCompiler.Runtime.Summaries;

/// <summary>What an event file holds: its events, and where a final record was cut short, if one was.</summary>
public sealed record EventFileContents(string Path, IReadOnlyList<EventRecord> Events, long? TruncatedAtOffset)
{
    /// <summary>True when the file ends inside a record (a writer still running, or killed mid-record).</summary>
    public bool IsTruncated => TruncatedAtOffset is not null;
}

/// <summary>One decoded <c>Event</c>: exactly one of file version, graph or summary values is present.</summary>
public sealed record EventRecord(double WallTime, long Step, string? FileVersion, byte[]? GraphDef, IReadOnlyList<SummaryValue> Values);

/// <summary>One decoded <c>Summary.Value</c>; the field matching its kind is set, the others are null.</summary>
public sealed record SummaryValue(
    string Tag,
    float? SimpleValue,
    HistogramData? Histogram,
    ImageValue? Image,
    TensorValue? Tensor,
    string? PluginName,
    int DataClass);

/// <summary>A decoded <c>Summary.Image</c>.</summary>
public sealed record ImageValue(int Height, int Width, int Colorspace, byte[] EncodedImage);

/// <summary>A decoded <c>TensorProto</c> (the parts summaries use).</summary>
public sealed record TensorValue(int DType, IReadOnlyList<long> Shape, byte[] TensorContent, IReadOnlyList<byte[]> StringValues, IReadOnlyList<float> FloatValues);
