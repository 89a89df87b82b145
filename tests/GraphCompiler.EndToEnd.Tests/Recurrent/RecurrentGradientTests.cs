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
        LossGradientCheck.AgreesWithFiniteDifferences(model, lossIr, Feeds(12));
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
