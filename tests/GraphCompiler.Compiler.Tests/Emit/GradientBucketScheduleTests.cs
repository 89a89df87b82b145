using System.Text.RegularExpressions;
using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Model;

namespace GraphCompiler.Compiler.Tests.Emit;

/// <summary>
/// Where <c>ComputeGradients</c> completes each all-reduce bucket: the generated method stores a bucket's
/// gradients and signals it right after the kernel that finishes it, in bucket order, each once, and the build
/// report (GC0501) names that kernel.
/// </summary>
public class GradientBucketScheduleTests
{
    /// <summary>
    /// Three hidden layers of 512 and an output of 4, squared error: buckets {output, h3}, {h2}, {h1}, each
    /// closed at 1 MiB, so the last layers' bucket is complete while the first layer's gradient is still ahead.
    /// </summary>
    private static EmitResult DeepMlp()
    {
        string[] layers = { "h1", "h2", "h3", "output" };
        int[] widths = { 512, 512, 512, 4 };
        var vars = new List<VariableInfo>();
        var b = new GraphBuilder("Loss");
        var batch = Dim.Sym("batch");
        var x = b.Input("x", DType.Float32, Shape.Of(batch, 512));
        var y = b.Input("y", DType.Float32, Shape.Of(batch, 4));
        var h = x;
        for (int i = 0; i < layers.Length; i++)
        {
            var w = new VariableInfo(layers[i] + "/weights", DType.Float32, Shape.Of(512, widths[i]), InitSpec.Constant(0.01), true);
            var bias = new VariableInfo(layers[i] + "/biases", DType.Float32, Shape.Of(widths[i]), InitSpec.Constant(0), true);
            vars.Add(w);
            vars.Add(bias);
            using var scope = b.NameScope(layers[i]);
            h = b.Add(b.Apply("matmul", new[] { h, b.Variable(w) }, GraphCompiler.Compiler.Ops.MatMul.Flags(false, false)), b.Variable(bias));
            if (i < layers.Length - 1) h = b.Apply("relu", new[] { h });
        }
        var loss = b.Apply("reduce_sum", new[] { b.Apply("square", new[] { b.Sub(h, y) }) }, Attrs.Of(("axes", new[] { 0, 1 }), ("keepdims", false)));
        b.AddOutput("result", loss);
        var p = new[] { new ModelParameter("x", DType.Float32, Shape.Of(batch, 512)), new ModelParameter("y", DType.Float32, Shape.Of(batch, 4)) };
        var model = new ModelDefinition("Demo", "DeepMlp", "public", "gradient_descent{gradient_set=true}", vars, new[] { new EntryPoint("Loss", true, p, b.Build()) });
        return ModelEmitter.Emit(model);
    }

    /// <summary>The body of the generated <c>ComputeGradients</c> that takes the set, one line per entry.</summary>
    private static List<string> ComputeGradientsBody(string source)
    {
        var lines = source.Split('\n').Select(l => l.Trim()).ToList();
        int start = lines.FindIndex(l => l.StartsWith("public float ComputeGradients(", StringComparison.Ordinal));
        Assert.True(start >= 0, "no ComputeGradients in the generated source");
        int end = lines.FindIndex(start, l => l.StartsWith("return ", StringComparison.Ordinal));
        return lines.GetRange(start, end - start + 1);
    }

    [Fact]
    public void EachBucketIsStoredAndSignalledOnceRightAfterTheKernelThatCompletesIt()
    {
        var body = ComputeGradientsBody(DeepMlp().Source);
        var signals = Enumerable.Range(0, 3).Select(i => body.FindIndex(l => l == $"gradients.BucketReady({i});")).ToList();
        Assert.All(signals, s => Assert.True(s > 0));
        Assert.Equal(3, body.Count(l => l.StartsWith("gradients.BucketReady(", StringComparison.Ordinal)));
        Assert.True(signals[0] < signals[1] && signals[1] < signals[2], $"signals at lines {string.Join(", ", signals)}");

        // Every gradient is stored once, before its bucket's signal and after the previous bucket's.
        string[][] buckets = { new[] { "output/biases", "output/weights", "h3/biases", "h3/weights" }, new[] { "h2/biases", "h2/weights" }, new[] { "h1/biases", "h1/weights" } };
        for (int i = 0; i < 3; i++)
            foreach (var v in buckets[i])
            {
                var stores = body.Select((l, n) => (l, n)).Where(t => t.l.StartsWith("gradients.Store(", StringComparison.Ordinal) && t.l.EndsWith("// gradients/" + v, StringComparison.Ordinal)).ToList();
                var store = Assert.Single(stores);
                Assert.True(store.n < signals[i] && (i == 0 || store.n > signals[i - 1]), $"{v} stored at line {store.n}, bucket {i} signalled at {signals[i]}");
            }

        // The first layer's weight gradient (the largest GEMM of the backward) still runs after bucket 0 is signalled.
        int h1WeightGradient = body.FindIndex(l => l.Contains("gradients/h1/matmul_grad/matmul_1", StringComparison.Ordinal));
        Assert.True(h1WeightGradient > signals[0] && h1WeightGradient < signals[2]);
        // Nothing after the last signal but the loss.
        Assert.DoesNotContain(body.Skip(signals[2]), l => l.StartsWith("gradients.Store", StringComparison.Ordinal) || l.Contains("CpuOps.", StringComparison.Ordinal));
    }

    [Fact]
    public void TheBuildReportSaysAfterWhichKernelEachBucketIsReady()
    {
        var report = Assert.Single(DeepMlp().Diagnostics, d => d.Id == "GC0501");
        Assert.Equal(Severity.Info, report.Severity);
        var m = Regex.Match(report.Message,
            @"^Model DeepMlp: gradient set of 790020 floats \(3160080 bytes\) in 3 all-reduce buckets: " +
            @"bucket 0: 264708 floats \(1058832 bytes\) at 525312, output/biases, output/weights, h3/biases, h3/weights, ready after kernel (\d+) of (\d+) \(gradients/(h3|output)/[^)]+\); " +
            @"bucket 1: 262656 floats \(1050624 bytes\) at 262656, h2/biases, h2/weights, ready after kernel (\d+) of \2 \(gradients/h2/[^)]+\); " +
            @"bucket 2: 262656 floats \(1050624 bytes\) at 0, h1/biases, h1/weights, ready after kernel (\d+) of \2 \(gradients/h1/[^)]+\)$");
        Assert.True(m.Success, report.Message);
        int first = int.Parse(m.Groups[1].Value), count = int.Parse(m.Groups[2].Value), second = int.Parse(m.Groups[4].Value), last = int.Parse(m.Groups[5].Value);
        Assert.True(first < second && second < last && last <= count, report.Message);
    }

    [Fact]
    public void ABucketOfConstantGradientsWaitsForTheBucketAheadOfIt()
    {
        // d/db of sum(x * w + b) is all ones for b's single element and x for w: bucket 0 holds both and the
        // schedule still signals it after a kernel, never before the method has computed anything.
        var w = new VariableInfo("w", DType.Float32, Shape.Of(2), InitSpec.Constant(1), true);
        var bias = new VariableInfo("b", DType.Float32, Shape.Of(1), InitSpec.Constant(0), true);
        var b = new GraphBuilder("Loss");
        var x = b.Input("x", DType.Float32, Shape.Of(2));
        b.AddOutput("result", b.Apply("reduce_sum", new[] { b.Add(b.Apply("mul", new[] { x, b.Variable(w) }), b.Variable(bias)) }, Attrs.Of(("axes", new[] { 0 }), ("keepdims", false))));
        var model = new ModelDefinition(null, "Split", "public", "gradient_descent{gradient_set=true}", new[] { w, bias }, new[] { new EntryPoint("Loss", true, new[] { new ModelParameter("x", DType.Float32, Shape.Of(2)) }, b.Build()) });
        var result = ModelEmitter.Emit(model);
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == Severity.Error);
        var body = ComputeGradientsBody(result.Source);
        Assert.Single(body, l => l == "gradients.BucketReady(0);");
        Assert.Matches(@"bucket 0: 3 floats \(12 bytes\) at 0, b, w, ready after kernel \d+ of \d+ \(", Assert.Single(result.Diagnostics, d => d.Id == "GC0501").Message);
    }
}
