using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Reference;
using GraphCompiler.Runtime.Training;
using static GraphCompiler.EndToEnd.Tests.Agreement;
using static GraphCompiler.EndToEnd.Tests.Recurrent.RecurrentCellTests;

namespace GraphCompiler.EndToEnd.Tests.Recurrent;

/// <summary>Keras's <c>Gru</c> and <c>Lstm</c> layers: training against the interpreter, and stateful calls.</summary>
public class RecurrentLayerTests
{
    [Fact]
    public void TheLayersTrainAsTheInterpreterSays()
    {
        var model = new RecurrentLayerModel(seed: 3);
        Assert.Equal(new[]
        {
            "gru/gates/kernel [7, 10]", "gru/gates/bias [10]", "gru/candidate/kernel [7, 5]", "gru/candidate/bias [5]",
            "lstm/kernel [9, 16]", "lstm/bias [16]",
        }, ((IModel)model).AllVariables.Where(v => v.Trainable && !v.Name.Contains("Adam", StringComparison.Ordinal)).Select(v => $"{v.Name} {v.ShapeText}"));
        var x = RandomData(5 * 3 * 2, 1);
        var y = RandomData(5 * 4, 2);
        for (int step = 0; step < 3; step++)
        {
            // Adam's bias-corrected step size is computed on the host and fed to the graph as its learning rate.
            var rate = StepScalars.AdamStepSize(0.01f, model.GlobalStep, 0.9, 0.999);
            var feeds = new Dictionary<string, (float[], int[])> { ["x"] = (x, [5, 3, 2]), ["y"] = (y, [5, 4]), ["learning_rate"] = ([rate], []) };
            var (outputs, updated) = ReferenceInterpreter.Run(model, RecurrentLayerModel.Ir.TrainStep, feeds, training: true);
            AssertClose(outputs["loss"].Data[0], model.TrainStep(x, y, 0.01f), $"loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step}");
        }
    }

    [Fact]
    public void AStatefulLayerCarriesItsStateAcrossCallsUntilReset()
    {
        var model = new RecurrentLayerModel(seed: 4);
        Randomize(model, 5);
        Assert.Equal(new[] { "gru/state_h [2, 5]", "lstm/state_c [2, 4]", "lstm/state_h [2, 4]" },
            ((IModel)model).AllVariables.Where(RecurrentStates.IsState).Select(v => $"{v.Name} {v.ShapeText}"));
        var x = RandomData(2 * 3 * 2, 6);
        var first = model.Streamed(x).Data.ToArray();
        // From zero states a stateful call is the stateless one.
        var stateless = model.Predict(x).Data;
        for (int i = 0; i < first.Length; i++) AssertClose(stateless[i], first[i], $"first call [{i}]");
        // The second call starts where the first ended, as the interpreter (reading the kept states) says.
        var feeds = new Dictionary<string, (float[], int[])> { ["x"] = (x, [2, 3, 2]) };
        var (expected, kept) = ReferenceInterpreter.Run(model, RecurrentLayerModel.Ir.Streamed, feeds);
        var second = model.Streamed(x).Data.ToArray();
        Assert.NotEqual(first, second);
        for (int i = 0; i < second.Length; i++) AssertClose(expected["result"].Data[i], second[i], $"second call [{i}]");
        AssertVariablesAgree(model, kept, " after the second call");
        RecurrentStates.Reset(model);
        var reset = model.Streamed(x).Data.ToArray();
        for (int i = 0; i < first.Length; i++) AssertClose(first[i], reset[i], $"after reset [{i}]");
    }
}
