using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Summaries;

namespace GraphCompiler.EndToEnd.Tests;

public class SummaryTests
{
    private sealed class MemorySink : ISummarySink
    {
        public readonly List<(string Kind, string Tag, long Step, float[] Values, string? Text)> Written = new();
        public void Scalar(string tag, float value, long step) => Written.Add(("scalar", tag, step, new[] { value }, null));
        public void Histogram(string tag, ReadOnlySpan<float> values, long step) => Written.Add(("histogram", tag, step, values.ToArray(), null));
        public void Image(string tag, ReadOnlySpan<float> pixels, ReadOnlySpan<int> shape, long step) => Written.Add(("image", tag, step, pixels.ToArray(), string.Join(",", shape.ToArray())));
        public void Text(string tag, string text, long step) => Written.Add(("text", tag, step, Array.Empty<float>(), text));
    }

    private static readonly float[] X = [1, 2, 3, 4];
    private static readonly float[] Y = [0, -1, -2, -3];

    [Fact]
    public void SummariesAreWrittenOnlyOnSummarySteps()
    {
        var model = new SummaryModel { SummarySink = new MemorySink(), SummaryEvery = 2 };
        var losses = new List<float>();
        for (int i = 0; i < 4; i++) losses.Add(model.TrainStep(X, Y, 0.01f));
        var sink = (MemorySink)model.SummarySink!;
        Assert.Equal(new long[] { 0, 0, 0, 0, 2, 2, 2, 2 }, sink.Written.Select(w => w.Step));
        var scalars = sink.Written.Where(w => w.Kind == "scalar").ToList();
        Assert.All(scalars, s => Assert.Equal("loss/total", s.Tag));
        Assert.Equal(losses[0], scalars[0].Values[0]);
        Assert.Equal(losses[2], scalars[1].Values[0]);
        var histogram = sink.Written.First(w => w.Kind == "histogram");
        Assert.Equal("residuals", histogram.Tag);
        Assert.Equal(new[] { 0.3f * 1 - 0.3f - 0, 0.3f * 2 - 0.3f + 1, 0.3f * 3 - 0.3f + 2, 0.3f * 4 - 0.3f + 3 }, histogram.Values);
        var image = sink.Written.First(w => w.Kind == "image");
        Assert.Equal("2,2,1", image.Text);
        Assert.Equal(new[] { 1 / 16f, 4 / 16f, 9 / 16f, 1f }, image.Values);
        Assert.Equal("linear regression", sink.Written.First(w => w.Kind == "text").Text);
    }

    [Fact]
    public void WithoutASinkTrainingIsUnchanged()
    {
        var plain = new SummaryModel();
        var withSink = new SummaryModel { SummarySink = new MemorySink() };
        for (int i = 0; i < 5; i++)
            Assert.Equal(plain.TrainStep(X, Y, 0.01f), withSink.TrainStep(X, Y, 0.01f));
        Assert.Equal(plain.Variables.W.Data, withSink.Variables.W.Data);
    }

    [Fact]
    public void InferenceMethodsIgnoreSummaries()
    {
        var model = new SummaryModel { SummarySink = new MemorySink() };
        Assert.Equal(23.66f, model.Loss(X, Y), 1e-4f);
        Assert.Empty(((MemorySink)model.SummarySink!).Written);
    }

    [Fact]
    public void EventFilesHoldTheSummariesAndTheGraph()
    {
        var dir = Directory.CreateTempSubdirectory("gc-summaries-");
        try
        {
            var model = new SummaryModel();
            using (var writer = new SummaryWriter(dir.FullName))
            {
                GraphExport.Write(writer, model);
                model.SummarySink = writer;
                for (int i = 0; i < 3; i++) model.TrainStep(X, Y, 0.01f);
            }
            var file = Assert.Single(Directory.GetFiles(dir.FullName, "events.out.tfevents.*"));
            var contents = EventFileReader.Read(file);
            Assert.False(contents.IsTruncated);
            var graph = EventFileReader.DecodeGraph(contents.Events.First(e => e.GraphDef is not null).GraphDef!);
            Assert.Contains(graph, n => n.Name == "loss/reduce_sum" && n.Op == "reduce_sum");
            // TensorFlow's gradient and update scopes, the names the generated code uses: a gradient names the op it differentiates.
            Assert.Contains(graph, n => n.Name.StartsWith("gradients/loss/reduce_sum_grad/", StringComparison.Ordinal));
            Assert.Contains(graph, n => n.Name == "GradientDescent/update_W/assign" && n.Op == "assign");
            var scalars = contents.Events.SelectMany(e => e.Values.Where(v => v.Tag == "loss/total").Select(v => (e.Step, v.SimpleValue))).ToList();
            Assert.Equal(new long[] { 0, 1, 2 }, scalars.Select(s => s.Step));
            Assert.Equal(23.66f, scalars[0].SimpleValue!.Value, 1e-4f);
            Assert.Contains(contents.Events.SelectMany(e => e.Values), v => v.Tag == "pattern" && v.Image is not null);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
