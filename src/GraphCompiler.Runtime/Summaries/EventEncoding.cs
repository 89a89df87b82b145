namespace GraphCompiler.Runtime.Summaries;

/// <summary>
/// Field numbers and encoders of the TensorBoard protos (<c>Event</c>, <c>Summary</c>, <c>HistogramProto</c>,
/// <c>Summary.Image</c>, <c>TensorProto</c>, <c>SummaryMetadata</c>, <c>GraphDef</c>), written by hand.
/// </summary>
internal static class EventEncoding
{
    public const string FileVersion = "brain.Event:2";

    // Event
    public const int EventWallTime = 1, EventStep = 2, EventFileVersion = 3, EventGraphDef = 4, EventSummary = 5;
    // Summary and Summary.Value
    public const int SummaryValue = 1;
    public const int ValueTag = 1, ValueSimpleValue = 2, ValueImage = 4, ValueHisto = 5, ValueTensor = 8, ValueMetadata = 9;
    // SummaryMetadata and its PluginData
    public const int MetadataPluginData = 1, MetadataDataClass = 4;
    public const int PluginName = 1, PluginContent = 2;
    public const int DataClassTensor = 2;
    // HistogramProto
    public const int HistoMin = 1, HistoMax = 2, HistoNum = 3, HistoSum = 4, HistoSumSquares = 5, HistoBucketLimit = 6, HistoBucket = 7;
    // Summary.Image
    public const int ImageHeight = 1, ImageWidth = 2, ImageColorspace = 3, ImageEncoded = 4;
    // TensorProto, TensorShapeProto and its Dim
    public const int TensorDType = 1, TensorShape = 2, TensorContent = 4, TensorStringVal = 8;
    public const int ShapeDim = 2, DimSize = 1;
    public const int DtString = 7;
    // GraphDef and NodeDef
    public const int GraphNode = 1;
    public const int NodeName = 1, NodeOp = 2, NodeInput = 3;

    public static byte[] FileVersionEvent(double wallTime) =>
        new ProtoBuilder().Double(EventWallTime, wallTime).String(EventFileVersion, FileVersion).ToArray();

    public static byte[] GraphEvent(double wallTime, byte[] graphDef) =>
        new ProtoBuilder().Double(EventWallTime, wallTime).Bytes(EventGraphDef, graphDef).ToArray();

    public static byte[] SummaryEvent(double wallTime, long step, ProtoBuilder value) =>
        new ProtoBuilder()
            .Double(EventWallTime, wallTime)
            .Int64(EventStep, step)
            .Message(EventSummary, new ProtoBuilder().Message(SummaryValue, value))
            .ToArray();

    /// <summary>A <c>Summary.Value</c> with its tag and, for a tag's first value, the plugin metadata.</summary>
    public static ProtoBuilder Value(string tag, string? pluginName, int dataClass = 0)
    {
        var value = new ProtoBuilder().String(ValueTag, tag);
        if (pluginName is not null)
        {
            var metadata = new ProtoBuilder().Message(MetadataPluginData, new ProtoBuilder().String(PluginName, pluginName));
            if (dataClass != 0) metadata.Int32(MetadataDataClass, dataClass);
            value.Message(ValueMetadata, metadata);
        }
        return value;
    }

    public static ProtoBuilder Histogram(HistogramData histogram) =>
        new ProtoBuilder()
            .Double(HistoMin, histogram.Min)
            .Double(HistoMax, histogram.Max)
            .Double(HistoNum, histogram.Num)
            .Double(HistoSum, histogram.Sum)
            .Double(HistoSumSquares, histogram.SumSquares)
            .PackedDoubles(HistoBucketLimit, histogram.BucketLimits)
            .PackedDoubles(HistoBucket, histogram.BucketCounts);

    public static ProtoBuilder Image(int height, int width, int colorspace, byte[] png) =>
        new ProtoBuilder()
            .Int32(ImageHeight, height)
            .Int32(ImageWidth, width)
            .Int32(ImageColorspace, colorspace)
            .Bytes(ImageEncoded, png);

    /// <summary>A rank-0 DT_STRING tensor holding one string.</summary>
    public static ProtoBuilder ScalarString(ReadOnlySpan<byte> utf8) =>
        new ProtoBuilder()
            .Int32(TensorDType, DtString)
            .Message(TensorShape, new ProtoBuilder())
            .Bytes(TensorStringVal, utf8);

    public static byte[] GraphDef(IReadOnlyList<GraphNode> nodes)
    {
        var graph = new ProtoBuilder();
        foreach (var node in nodes)
        {
            var nodeDef = new ProtoBuilder().String(NodeName, node.Name).String(NodeOp, node.Op);
            foreach (var input in node.Inputs) nodeDef.String(NodeInput, input);
            graph.Message(GraphNode, nodeDef);
        }
        return graph.ToArray();
    }
}
