using System.Text;
using System.Text.RegularExpressions;
using GraphCompiler.Runtime.Summaries;
using GraphCompiler.Runtime.Tests.Checkpoints;

namespace GraphCompiler.Runtime.Tests.Summaries;

public sealed class SummaryWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string RunDir => Path.Combine(_dir.Path, "run1");

    [Fact]
    public void File_name_follows_tensorflows_pattern_and_starts_with_the_version_event()
    {
        long before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string path;
        using (var writer = new SummaryWriter(RunDir)) path = writer.FilePath;
        long after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        Assert.Equal(RunDir, Path.GetDirectoryName(path));
        var match = Regex.Match(Path.GetFileName(path), @"^events\.out\.tfevents\.(\d{10})\.([^/\\]+)$");
        Assert.True(match.Success, Path.GetFileName(path));
        Assert.InRange(long.Parse(match.Groups[1].Value), before, after);
        Assert.Equal(System.Net.Dns.GetHostName(), match.Groups[2].Value);

        var contents = EventFileReader.Read(path);
        Assert.False(contents.IsTruncated);
        var first = Assert.Single(contents.Events);
        Assert.Equal("brain.Event:2", first.FileVersion);
        Assert.InRange(first.WallTime, before, after + 1);
    }

    [Fact]
    public void Two_writers_in_one_directory_get_separate_files()
    {
        using var a = new SummaryWriter(RunDir);
        using var b = new SummaryWriter(RunDir);
        Assert.NotEqual(a.FilePath, b.FilePath);
        Assert.All(new[] { a.FilePath, b.FilePath }, p => Assert.Contains("tfevents", Path.GetFileName(p)));
    }

    [Fact]
    public void Scalars_round_trip_with_metadata_only_on_each_tags_first_value()
    {
        string path;
        using (var writer = new SummaryWriter(RunDir))
        {
            path = writer.FilePath;
            for (long step = 0; step < 3; step++)
            {
                writer.Scalar("loss", 1f / (step + 1), step * 10);
                writer.Scalar("train/accuracy", step * 0.25f, step * 10);
            }
        }
        var events = EventFileReader.Read(path).Events.Skip(1).ToList();
        Assert.Equal(6, events.Count);
        var loss = events.Select(e => Assert.Single(e.Values)).Where(v => v.Tag == "loss").ToList();
        Assert.Equal([1f, 0.5f, 1f / 3], loss.Select(v => v.SimpleValue!.Value));
        Assert.Equal([0L, 10L, 20L], events.Where(e => e.Values[0].Tag == "loss").Select(e => e.Step));
        Assert.Equal("scalars", loss[0].PluginName);
        Assert.All(loss.Skip(1), v => Assert.Null(v.PluginName));
        var accuracy = events.Select(e => e.Values[0]).Where(v => v.Tag == "train/accuracy").ToList();
        Assert.Equal("scalars", accuracy[0].PluginName);
        Assert.Equal(0.5f, accuracy[2].SimpleValue);
        Assert.All(events, e => Assert.True(e.WallTime > 1.6e9));
    }

    [Fact]
    public void Histogram_round_trips_with_its_invariants()
    {
        var values = Enumerable.Range(0, 500).Select(i => Math.Cos(i * 0.37) * (i % 7)).ToArray();
        string path;
        using (var writer = new SummaryWriter(RunDir))
        {
            path = writer.FilePath;
            writer.Histogram("h1/weights", values, 7);
            writer.Histogram("h1/weights", values.Select(v => (float)v * 2).ToArray(), 8);
        }
        var events = EventFileReader.Read(path).Events.Skip(1).ToList();
        var first = events[0].Values[0];
        Assert.Equal(7, events[0].Step);
        Assert.Equal("histograms", first.PluginName);
        Assert.Null(events[1].Values[0].PluginName);
        var expected = HistogramData.FromValues(values);
        var histogram = first.Histogram!;
        Assert.Equal(expected.Min, histogram.Min);
        Assert.Equal(expected.Max, histogram.Max);
        Assert.Equal(500, histogram.Num);
        Assert.Equal(expected.Sum, histogram.Sum);
        Assert.Equal(expected.SumSquares, histogram.SumSquares);
        Assert.Equal(expected.BucketLimits, histogram.BucketLimits);
        Assert.Equal(expected.BucketCounts, histogram.BucketCounts);
        Assert.Equal(histogram.Num, histogram.BucketCounts.Sum());
        Assert.Equal(values.Max() * 2, events[1].Values[0].Histogram!.Max, 1e-5);
    }

    [Fact]
    public void Image_round_trips_as_png_with_the_colorspace()
    {
        var rgb = new byte[5 * 3 * 3];
        new Random(1).NextBytes(rgb);
        string path;
        using (var writer = new SummaryWriter(RunDir))
        {
            path = writer.FilePath;
            writer.Image("samples/digit", rgb, height: 5, width: 3, channels: 3, step: 2);
            writer.Image("grey", new byte[] { 0, 255, 128, 7 }, 2, 2, 1, 2);
        }
        var values = EventFileReader.Read(path).Events.Skip(1).Select(e => e.Values[0]).ToList();
        var image = values[0].Image!;
        Assert.Equal((5, 3, 3), (image.Height, image.Width, image.Colorspace));
        Assert.Equal("images", values[0].PluginName);
        var decoded = PngDecoder.Decode(image.EncodedImage);
        Assert.Equal(rgb, decoded.Pixels);
        Assert.Equal((3, 5), (decoded.Width, decoded.Height));
        Assert.Equal(1, values[1].Image!.Colorspace);
        Assert.Equal([0, 255, 128, 7], PngDecoder.Decode(values[1].Image!.EncodedImage).Pixels);
    }

    [Fact]
    public void Text_is_a_string_tensor_with_the_text_plugin()
    {
        string path;
        using (var writer = new SummaryWriter(RunDir))
        {
            path = writer.FilePath;
            writer.Text("notes", "**lr** = 0.01 — ünïcødé", 3);
        }
        var value = EventFileReader.Read(path).Events[1].Values[0];
        Assert.Equal("text", value.PluginName);
        Assert.Equal(2, value.DataClass);
        var tensor = value.Tensor!;
        Assert.Equal(7, tensor.DType);
        Assert.Empty(tensor.Shape);
        Assert.Equal("**lr** = 0.01 — ünïcødé", Encoding.UTF8.GetString(Assert.Single(tensor.StringValues)));
    }

    [Fact]
    public void Graph_round_trips_with_scoped_names_and_inputs()
    {
        GraphNode[] nodes =
        [
            new("x", "Placeholder", []),
            new("two_layers/h1/weights", "VariableV2", []),
            new("two_layers/h1/MatMul", "MatMul", ["x", "two_layers/h1/weights"]),
            new("two_layers/h1/Relu", "Relu", ["two_layers/h1/MatMul:0", "^x"]),
        ];
        string path;
        using (var writer = new SummaryWriter(RunDir))
        {
            path = writer.FilePath;
            writer.Graph(nodes);
        }
        var graphEvent = EventFileReader.Read(path).Events[1];
        Assert.Empty(graphEvent.Values);
        var back = EventFileReader.DecodeGraph(graphEvent.GraphDef!);
        Assert.Equal(nodes.Select(n => (n.Name, n.Op, string.Join(",", n.Inputs))), back.Select(n => (n.Name, n.Op, string.Join(",", n.Inputs))));
    }

    [Fact]
    public void Bad_graphs_are_refused_naming_the_node()
    {
        using var writer = new SummaryWriter(RunDir);
        Assert.Contains("'b' reads 'nope'", Assert.Throws<ArgumentException>(() => writer.Graph([new("a", "Const", []), new("b", "Neg", ["nope"])])).Message);
        Assert.Contains("two graph nodes are named 'a'", Assert.Throws<ArgumentException>(() => writer.Graph([new("a", "Const", []), new("a", "Const", [])])).Message);
    }

    [Fact]
    public void Steps_of_a_tag_must_not_go_backwards_and_a_tag_keeps_its_kind()
    {
        using var writer = new SummaryWriter(RunDir);
        writer.Scalar("loss", 1, 5);
        writer.Scalar("loss", 1, 5);
        writer.Scalar("other", 1, 0);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => writer.Scalar("loss", 1, 4));
        Assert.Contains("tag 'loss' was last written at step 5", e.Message);
        var kind = Assert.Throws<ArgumentException>(() => writer.Histogram("loss", [1.0], 6));
        Assert.Contains("tag 'loss' already holds scalars", kind.Message);
    }

    [Fact]
    public void Invalid_summaries_name_the_tag()
    {
        using var writer = new SummaryWriter(RunDir);
        Assert.Contains("histogram 'w' at step 1", Assert.Throws<ArgumentException>(() => writer.Histogram("w", [1, double.NaN], 1)).Message);
        Assert.Contains("image 'img' at step 2", Assert.Throws<ArgumentException>(() => writer.Image("img", new byte[5], 2, 2, 1, 2)).Message);
    }

    [Fact]
    public void Records_reach_the_file_every_max_queue_records_without_an_explicit_flush()
    {
        using var writer = new SummaryWriter(RunDir, maxQueue: 3, flushInterval: TimeSpan.FromDays(1));
        writer.Scalar("a", 1, 1);
        writer.Scalar("a", 2, 2);
        Assert.Single(EventFileReader.Read(writer.FilePath).Events); // only the version event so far
        writer.Scalar("a", 3, 3);
        Assert.Equal(4, EventFileReader.Read(writer.FilePath).Events.Count);
        writer.Scalar("a", 4, 4);
        writer.Flush();
        Assert.Equal(5, EventFileReader.Read(writer.FilePath).Events.Count);
    }

    [Fact]
    public void The_flush_timer_pushes_out_records_while_nothing_else_is_written()
    {
        using var writer = new SummaryWriter(RunDir, maxQueue: 1000, flushInterval: TimeSpan.FromMilliseconds(20));
        writer.Scalar("a", 1, 1);
        // Polls for the timer's flush; the limit only guards against a hang, it measures nothing.
        var guard = System.Diagnostics.Stopwatch.StartNew();
        while (EventFileReader.Read(writer.FilePath).Events.Count < 2)
        {
            Assert.True(guard.Elapsed < TimeSpan.FromSeconds(30), "the timer never flushed");
            Thread.Sleep(10);
        }
    }

    [Fact]
    public void A_zero_flush_interval_flushes_every_record()
    {
        using var writer = new SummaryWriter(RunDir, maxQueue: 1000, flushInterval: TimeSpan.Zero);
        writer.Scalar("a", 1, 1);
        Assert.Equal(2, EventFileReader.Read(writer.FilePath).Events.Count);
    }

    [Fact]
    public void Writing_after_dispose_throws()
    {
        var writer = new SummaryWriter(RunDir);
        writer.Dispose();
        writer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => writer.Scalar("a", 1, 1));
    }
}
