using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace GraphCompiler.Runtime.Summaries;

/// <summary>
/// Writes a TensorBoard event file (<c>tf.summary.FileWriter</c>): <c>events.out.tfevents.&lt;unix
/// seconds&gt;.&lt;hostname&gt;</c> in <see cref="LogDir"/>, starting with the <c>brain.Event:2</c> version
/// event. Records are buffered and flushed every <c>maxQueue</c> records, every <c>flushInterval</c>
/// (by a timer, so the last records of a quiet spell show up too), on <see cref="Flush"/> and on
/// <see cref="Dispose"/>, so a running TensorBoard sees progress. Each tag keeps one kind of data, and its steps never go backwards.
/// Thread-safe.
/// </summary>
public sealed class SummaryWriter : IDisposable, ISummarySink
{
    private const string ScalarsPlugin = "scalars", HistogramsPlugin = "histograms", ImagesPlugin = "images", TextPlugin = "text";

    private readonly object _gate = new();
    private readonly FileStream _stream;
    private readonly int _maxQueue;
    private readonly TimeSpan _flushInterval;
    private readonly Stopwatch _sinceFlush = Stopwatch.StartNew();
    private readonly Dictionary<string, (string Plugin, long LastStep)> _tags = new(StringComparer.Ordinal);
    private readonly Timer? _timer;
    private int _pending;
    private bool _disposed;

    /// <summary>
    /// Creates the run directory if needed and a new event file in it. <paramref name="maxQueue"/> records
    /// (TensorFlow's default 10) or <paramref name="flushInterval"/> (default 10 seconds) trigger a flush.
    /// </summary>
    public SummaryWriter(string logDir, int maxQueue = 10, TimeSpan? flushInterval = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(logDir);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxQueue, 1);
        LogDir = logDir;
        _maxQueue = maxQueue;
        _flushInterval = flushInterval ?? TimeSpan.FromSeconds(10);
        Directory.CreateDirectory(logDir);
        (_stream, FilePath) = CreateEventFile(logDir);
        Append(EventEncoding.FileVersionEvent(WallTime()));
        FlushLocked();
        // A zero interval flushes on every record already; Timer cannot take periods beyond ~49 days.
        if (_flushInterval > TimeSpan.Zero && _flushInterval.TotalMilliseconds < uint.MaxValue - 1)
            _timer = new Timer(_ => FlushFromTimer(), null, _flushInterval, _flushInterval);
    }

    /// <summary>The run directory.</summary>
    public string LogDir { get; }

    /// <summary>The event file being written.</summary>
    public string FilePath { get; }

    /// <summary>Records a scalar (a point on a chart), as <c>simple_value</c>.</summary>
    public void Scalar(string tag, float value, long step)
    {
        lock (_gate)
        {
            var summary = Begin(tag, ScalarsPlugin, step, dataClass: 0);
            summary.Float(EventEncoding.ValueSimpleValue, value);
            AppendSummary(summary, step);
        }
    }

    /// <summary>Records a histogram of <paramref name="values"/> (TensorFlow's exponential buckets); values must be finite.</summary>
    public void Histogram(string tag, ReadOnlySpan<double> values, long step)
    {
        HistogramData histogram;
        try { histogram = HistogramData.FromValues(values); }
        catch (ArgumentException e) { throw new ArgumentException($"histogram '{tag}' at step {step}: {e.Message}", nameof(values), e); }
        lock (_gate)
        {
            var summary = Begin(tag, HistogramsPlugin, step, dataClass: 0);
            summary.Message(EventEncoding.ValueHisto, EventEncoding.Histogram(histogram));
            AppendSummary(summary, step);
        }
    }

    /// <summary>Records a histogram of float values (widened to double).</summary>
    public void Histogram(string tag, ReadOnlySpan<float> values, long step)
    {
        var wide = new double[values.Length];
        for (int i = 0; i < values.Length; i++) wide[i] = values[i];
        Histogram(tag, wide, step);
    }

    /// <summary>
    /// Records an image from row-major 8-bit pixels with 1 (grey), 2 (grey+alpha), 3 (RGB) or 4 (RGBA)
    /// channels, encoded as PNG.
    /// </summary>
    public void Image(string tag, ReadOnlySpan<byte> pixels, int height, int width, int channels, long step)
    {
        byte[] png;
        try { png = PngEncoder.Encode(pixels, height, width, channels); }
        catch (ArgumentException e) { throw new ArgumentException($"image '{tag}' at step {step}: {e.Message}", e.ParamName, e); }
        lock (_gate)
        {
            var summary = Begin(tag, ImagesPlugin, step, dataClass: 0);
            summary.Message(EventEncoding.ValueImage, EventEncoding.Image(height, width, channels, png));
            AppendSummary(summary, step);
        }
    }

    /// <summary>Records text (Markdown in TensorBoard's Text tab) as a DT_STRING tensor with plugin <c>text</c>.</summary>
    /// <summary>
    /// Float images in [0, 1] (clamped), as TensorBoard's image summary: a batch writes its first
    /// three images under <c>tag/image/0</c>, <c>tag/image/1</c>, … as <c>tf.summary.image</c> does.
    /// </summary>
    public void Image(string tag, ReadOnlySpan<float> pixels, ReadOnlySpan<int> shape, long step)
    {
        if (shape.Length is not (3 or 4)) throw new ArgumentException($"image summary '{tag}' needs [h, w, c] or [n, h, w, c], got rank {shape.Length}", nameof(shape));
        int n = shape.Length == 4 ? shape[0] : 1;
        int h = shape[^3], w = shape[^2], c = shape[^1];
        int size = h * w * c;
        var bytes = new byte[size];
        for (int k = 0; k < Math.Min(n, 3); k++)
        {
            var image = pixels.Slice(k * size, size);
            for (int i = 0; i < size; i++) bytes[i] = (byte)Math.Round(255 * Math.Clamp(float.IsNaN(image[i]) ? 0 : image[i], 0f, 1f));
            Image(shape.Length == 4 ? $"{tag}/image/{k}" : tag, bytes, h, w, c, step);
        }
    }

    public void Text(string tag, string text, long step)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (_gate)
        {
            var summary = Begin(tag, TextPlugin, step, EventEncoding.DataClassTensor);
            summary.Message(EventEncoding.ValueTensor, EventEncoding.ScalarString(Encoding.UTF8.GetBytes(text)));
            AppendSummary(summary, step);
        }
    }

    /// <summary>
    /// Records the graph for the Graphs tab. Names must be unique and inputs must name nodes of the graph
    /// (<c>name</c>, <c>name:k</c> or <c>^name</c>).
    /// </summary>
    public void Graph(IEnumerable<GraphNode> nodes)
    {
        var list = nodes.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in list)
        {
            if (string.IsNullOrEmpty(node.Name)) throw new ArgumentException("a graph node has an empty name", nameof(nodes));
            if (string.IsNullOrEmpty(node.Op)) throw new ArgumentException($"graph node '{node.Name}' has an empty op", nameof(nodes));
            if (!names.Add(node.Name)) throw new ArgumentException($"two graph nodes are named '{node.Name}'", nameof(nodes));
        }
        foreach (var node in list)
            foreach (var input in node.Inputs)
                if (!names.Contains(InputNodeName(input)))
                    throw new ArgumentException($"graph node '{node.Name}' reads '{input}', which is not a node of the graph", nameof(nodes));

        var graphDef = EventEncoding.GraphDef(list);
        lock (_gate)
        {
            ThrowIfDisposed();
            Append(EventEncoding.GraphEvent(WallTime(), graphDef));
        }
    }

    /// <summary>Pushes buffered records to the file, where TensorBoard can read them.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            FlushLocked();
        }
    }

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose()
    {
        _timer?.Dispose();
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            FlushLocked();
            _stream.Dispose();
        }
    }

    // Control inputs are written "^name" and outputs beyond the first "name:k"; both refer to node "name".
    private static string InputNodeName(string input)
    {
        var name = input.StartsWith('^') ? input[1..] : input;
        int colon = name.LastIndexOf(':');
        return colon > 0 && int.TryParse(name.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _) ? name[..colon] : name;
    }

    /// <summary>Checks the tag and step, and starts its value, with plugin metadata the first time the tag appears.</summary>
    private ProtoBuilder Begin(string tag, string plugin, long step, int dataClass)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(tag);
        bool first = !_tags.TryGetValue(tag, out var known);
        if (!first)
        {
            if (known.Plugin != plugin)
                throw new ArgumentException($"tag '{tag}' already holds {known.Plugin}; it cannot also hold {plugin}", nameof(tag));
            if (step < known.LastStep)
                throw new ArgumentOutOfRangeException(nameof(step), step, $"tag '{tag}' was last written at step {known.LastStep}; steps must not go backwards");
        }
        _tags[tag] = (plugin, step);
        return EventEncoding.Value(tag, first ? plugin : null, dataClass);
    }

    private void AppendSummary(ProtoBuilder value, long step) => Append(EventEncoding.SummaryEvent(WallTime(), step, value));

    private void Append(byte[] eventBytes)
    {
        TfRecord.Write(_stream, eventBytes);
        if (++_pending >= _maxQueue || _sinceFlush.Elapsed >= _flushInterval) FlushLocked();
    }

    private void FlushLocked()
    {
        _stream.Flush();
        _pending = 0;
        _sinceFlush.Restart();
    }

    private void FlushFromTimer()
    {
        lock (_gate)
        {
            if (_disposed || _pending == 0) return;
            // A failing disk must not crash the process from a timer thread; the next write or Flush reports it.
            try { FlushLocked(); }
            catch (IOException) { }
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private static double WallTime() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;

    /// <summary>A new file named like TensorFlow's; a numeric suffix keeps two writers started in the same second apart.</summary>
    private static (FileStream, string) CreateEventFile(string logDir)
    {
        long seconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var baseName = $"events.out.tfevents.{seconds.ToString("D10", CultureInfo.InvariantCulture)}.{HostName()}";
        for (int attempt = 0; ; attempt++)
        {
            var path = Path.Combine(logDir, attempt == 0 ? baseName : $"{baseName}.{attempt.ToString(CultureInfo.InvariantCulture)}");
            try
            {
                return (new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16), path);
            }
            catch (IOException) when (File.Exists(path) && attempt < 1000)
            {
            }
        }
    }

    private static string HostName()
    {
        string name;
        try { name = Dns.GetHostName(); }
        catch (System.Net.Sockets.SocketException) { name = Environment.MachineName; }
        // A host name never holds path separators, but a file name must not either.
        var safe = new string(name.Select(c => c == '/' || c == '\\' || char.IsControl(c) ? '_' : c).ToArray());
        return safe.Length > 0 ? safe : "localhost";
    }
}
