using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Passes;
using GraphCompiler.Compiler.Reference;
using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;
using static GraphCompiler.EndToEnd.Tests.Recurrent.RecurrentCellTests;

namespace GraphCompiler.EndToEnd.Tests.Recurrent;

/// <summary>
/// Backpropagation through the unrolled steps: the models' own loss graphs differentiated by autodiff
/// against finite differences in double precision, with a sequence shorter than the batch's longest;
/// and the generated train steps against the reference interpreter.
/// </summary>
public class RecurrentGradientTests
{
    public static TheoryData<string> Models => ["lstm", "gru"];

    private static (IModel Model, string LossIr, string TrainIr) Create(string name) => name switch
    {
        "lstm" => (new LstmRnnModel(seed: 1), LstmRnnModel.Ir.Loss, LstmRnnModel.Ir.TrainStep),
        _ => (new GruRnnModel(seed: 1), GruRnnModel.Ir.Loss, GruRnnModel.Ir.TrainStep),
    };

    private static Dictionary<string, (float[], int[])> Feeds(int seed) => new()
    {
        ["x"] = (RandomData(2 * Steps * Features, seed), [2, Steps, Features]),
        ["lengths"] = (Lengths.Select(l => (float)l).ToArray(), [2]),
        ["y"] = (RandomData(2 * Steps * 5, seed + 1), [2, Steps, 5]),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void GradientsThroughTheStepsMatchFiniteDifferences(string name)
    {
        var (model, lossIr, _) = Create(name);
        Randomize(model, 11);
        var loss = GraphText.Parse(lossIr.Replace("f32", "f64", StringComparison.Ordinal));
        var b = new GraphBuilder("gradients", loss.Variables.ToDictionary(kv => kv.Key, kv => kv.Value));
        var map = GraphRewriter.Copy(loss, b);
        var variables = loss.Nodes.Where(n => n.OpName == "variable").GroupBy(n => n.Attrs.GetString("name")).ToDictionary(g => g.Key, g => map[g.First()]);
        var names = variables.Keys.Order(StringComparer.Ordinal).ToArray();
        var grads = Autodiff.Gradients(b, map[loss.Output("result")], names.Select(n => variables[n]).ToList());
        for (int i = 0; i < names.Length; i++) b.AddOutput(names[i], grads[i]!);
        var gradients = b.Build();

        var values = names.ToDictionary(n => n, n => new RefTensor(Compiler.IR.DType.Float64, model.AllVariables[n].Shape.ToArray(), Data(model, n)));
        var feeds = Feeds(12).ToDictionary(kv => kv.Key, kv => new RefTensor(
            kv.Key == "lengths" ? Compiler.IR.DType.Int32 : Compiler.IR.DType.Float64, kv.Value.Item2, kv.Value.Item1.Select(v => (double)v).ToArray()));
        var analytic = Interpreter.Outputs(gradients, feeds, values);
        double Loss() => Interpreter.Outputs(loss, feeds, values)["result"].Data[0];

        const double eps = 1e-6;
        foreach (var variable in names)
        {
            var data = values[variable].Data;
            Assert.Contains(analytic[variable].Data, g => g != 0);
            for (int e = 0; e < data.Length; e++)
            {
                double saved = data[e];
                data[e] = saved + eps;
                double up = Loss();
                data[e] = saved - eps;
                double down = Loss();
                data[e] = saved;
                double numeric = (up - down) / (2 * eps);
                Assert.True(Math.Abs(numeric - analytic[variable].Data[e]) <= 1e-6 + 1e-6 * Math.Abs(numeric),
                    $"d loss / d {variable}[{e}]: autodiff {analytic[variable].Data[e]}, finite differences {numeric}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void TrainStepsAgreeWithTheInterpreter(string name)
    {
        var (model, _, trainIr) = Create(name);
        Randomize(model, 13);
        for (int step = 0; step < 2; step++)
        {
            var feeds = new Dictionary<string, (float[], int[])>(Feeds(14 + step)) { ["learning_rate"] = ([0.1f], []) };
            var (outputs, updated) = ReferenceInterpreter.Run(model, trainIr, feeds, training: true);
            var (x, y) = (feeds["x"].Item1, feeds["y"].Item1);
            float loss = model switch
            {
                LstmRnnModel lstm => lstm.TrainStep(x, Lengths, y, 0.1f),
                GruRnnModel gru => gru.TrainStep(x, Lengths, y, 0.1f),
                _ => throw new InvalidOperationException(),
            };
            AssertClose(outputs["loss"].Data[0], loss, $"loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step}");
        }
    }
}
