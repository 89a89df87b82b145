using CountVectors;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Passes;
using GraphCompiler.Compiler.Reference;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// The CountVectors sample's GloVe model: its gradient against finite differences in double precision,
/// and its generated sparse Adagrad step against the reference interpreter.
/// </summary>
public class GloVeTests
{
    // Repeated rows and columns: the sparse update must sum them as the dense gradient does.
    private static readonly int[] Rows = [1, 5, 1, 7, 5, 2];
    private static readonly int[] Columns = [3, 3, 8, 1, 2, 2];
    private static readonly float[] LogCounts = [0.5f, 1.2f, 0.1f, 2.0f, 0.7f, 1.5f];
    private static readonly float[] Weights = [0.3f, 1f, 0.05f, 1f, 0.6f, 0.9f];
    private static readonly string[] Names = ["glove/word", "glove/context", "glove/word_bias", "glove/context_bias"];

    private static float[] F(int[] values) => values.Select(v => (float)v).ToArray();

    [Fact]
    public void TheGradientMatchesFiniteDifferencesInDoublePrecision()
    {
        // The model's own loss graph, every float32 made float64.
        var loss = GraphText.Parse(GloVeModel.Ir.Loss.Replace("f32", "f64", StringComparison.Ordinal));
        var b = new GraphBuilder("gradients", loss.Variables.ToDictionary(kv => kv.Key, kv => kv.Value));
        var map = GraphRewriter.Copy(loss, b);
        var variables = loss.Nodes.Where(n => n.OpName == "variable").ToDictionary(n => n.Attrs.GetString("name"), n => map[n]);
        var grads = Autodiff.Gradients(b, map[loss.Output("result")], Names.Select(n => variables[n]).ToList());
        for (int i = 0; i < Names.Length; i++) b.AddOutput(Names[i], grads[i]!);
        var gradients = b.Build();

        var model = new GloVeModel(vocab: 12288, dim: 64, seed: 3);
        var random = new Random(1);
        var values = ((IModel)model).AllVariables.Where(v => Names.Contains(v.Name)).ToDictionary(v => v.Name, v =>
        {
            // Nonzero biases and vectors of size about 1, so every term of the loss matters.
            var data = v.ToDoubleArray().Select(_ => random.NextDouble() - 0.5).ToArray();
            return new RefTensor(Compiler.IR.DType.Float64, v.Shape.ToArray(), data);
        });
        var feeds = new Dictionary<string, RefTensor>
        {
            ["rows"] = new(Compiler.IR.DType.Int32, [Rows.Length], Rows.Select(v => (double)v).ToArray()),
            ["columns"] = new(Compiler.IR.DType.Int32, [Columns.Length], Columns.Select(v => (double)v).ToArray()),
            ["logCounts"] = new(Compiler.IR.DType.Float64, [LogCounts.Length], LogCounts.Select(v => (double)v).ToArray()),
            ["weights"] = new(Compiler.IR.DType.Float64, [Weights.Length], Weights.Select(v => (double)v).ToArray()),
        };
        var analytic = Interpreter.Outputs(gradients, feeds, values);
        double Loss() => Interpreter.Outputs(loss, feeds, values)["result"].Data[0];

        const double eps = 1e-6;
        foreach (var name in Names)
        {
            int width = name.EndsWith("bias", StringComparison.Ordinal) ? 1 : 64;
            var touched = (name.StartsWith("glove/word", StringComparison.Ordinal) ? Rows : Columns).ToHashSet();
            var gradient = analytic[name].Data;
            // Rows no entry uses have gradient 0 exactly; the used ones are checked at a few columns each.
            for (int e = 0; e < gradient.Length; e++)
                if (!touched.Contains(e / width) && gradient[e] != 0) Assert.Fail($"{name}[{e}] has gradient {gradient[e]} but its row is unused");
            foreach (int row in touched)
                foreach (int column in width == 1 ? [0] : new[] { 0, 17, 40, 63 })
                {
                    int e = row * width + column;
                    var data = values[name].Data;
                    double saved = data[e];
                    data[e] = saved + eps;
                    double up = Loss();
                    data[e] = saved - eps;
                    double down = Loss();
                    data[e] = saved;
                    double numeric = (up - down) / (2 * eps);
                    Assert.True(Math.Abs(numeric - gradient[e]) <= 1e-6 + 1e-6 * Math.Abs(numeric),
                        $"d loss / d {name}[{row}, {column}]: autodiff {gradient[e]}, finite differences {numeric}");
                }
        }
    }

    [Fact]
    public void TrainStepsAgreeWithTheInterpreter()
    {
        var model = new GloVeModel(vocab: 12288, dim: 64, seed: 4);
        var all = ((IModel)model).AllVariables;
        Assert.Contains(all, v => v.Name == "glove/word/Adagrad");
        for (int step = 0; step < 3; step++)
        {
            var before = all.ToDictionary(v => v.Name, v => v.ToDoubleArray());
            var feeds = new Dictionary<string, (float[], int[])>
            {
                ["rows"] = (F(Rows), [Rows.Length]),
                ["columns"] = (F(Columns), [Columns.Length]),
                ["logCounts"] = (LogCounts, [LogCounts.Length]),
                ["weights"] = (Weights, [Weights.Length]),
                ["learning_rate"] = ([0.05f], []),
            };
            var (outputs, updated) = ReferenceInterpreter.Run(model, GloVeModel.Ir.TrainStep, feeds, training: true);
            float loss = model.TrainStep(Rows, Columns, LogCounts, Weights, 0.05f);
            AssertClose(outputs["loss"].Data[0], loss, $"loss at step {step}");
            foreach (var (name, expected) in updated)
            {
                var actual = all.First(v => v.Name == name).ToDoubleArray();
                int width = name.Contains("bias", StringComparison.Ordinal) ? 1 : 64;
                var touched = (name.StartsWith("glove/word", StringComparison.Ordinal) ? Rows : Columns).ToHashSet();
                for (int e = 0; e < actual.Length; e++)
                {
                    if (touched.Contains(e / width)) AssertClose(expected.Data[e], actual[e], $"{name}[{e}] after step {step}");
                    else if (actual[e] != before[name][e]) Assert.Fail($"{name}[{e}] changed at step {step} but its row is unused");
                }
            }
        }
    }

    [Fact]
    public void TheStepUpdatesEveryTableBySparseAdagrad()
    {
        var effects = GraphText.Parse(GloVeModel.Ir.TrainStep).Effects;
        // Each table: the variable's update, then its accumulator's, never a dense [vocab, dim] Adagrad.
        Assert.Equal(4, effects.Count(e => e.OpName == "sparse_adagrad"));
        Assert.Equal(4, effects.Count(e => e.OpName == "sparse_adagrad_accumulate"));
        Assert.DoesNotContain(effects, e => e.OpName == "assign");
    }
}
