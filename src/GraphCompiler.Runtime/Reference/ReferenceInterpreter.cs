using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Reference;

namespace GraphCompiler.Runtime.Reference;

/// <summary>
/// Runs a generated model's IR (its <c>Ir</c> constants) op by op in double precision, reading the
/// model's current variable values. Tests use it as the oracle for generated code; it never
/// changes the model (effects land in the returned variable values).
/// </summary>
public static class ReferenceInterpreter
{
    /// <summary>The graph's named outputs and the variable values after its effects, as an inference run.</summary>
    public static (Dictionary<string, RefTensor> Outputs, Dictionary<string, RefTensor> Variables) Run(
        IModel model, string irText, IReadOnlyDictionary<string, (float[] Data, int[] Shape)> inputs) =>
        Run(model, irText, inputs, training: false);

    /// <summary>
    /// As <see cref="Run(IModel, string, IReadOnlyDictionary{string, ValueTuple{float[], int[]}})"/>; with
    /// <paramref name="training"/> the run is the train step's (dropout applies), keyed by the model's
    /// <see cref="IModel.Seed"/> and current <see cref="IModel.GlobalStep"/> exactly as the generated
    /// <c>TrainStep</c> is. Inputs are given as floats and take the dtype their placeholder declares.
    /// A train step's <c>learning_rate</c> input is the step's rate as the generated <c>TrainStep</c> computes it
    /// on the host: after the schedule and, for Adam, the bias correction
    /// (<see cref="Training.StepScalars.AdamStepSize"/>), not the rate passed to <c>TrainStep</c>.
    /// </summary>
    public static (Dictionary<string, RefTensor> Outputs, Dictionary<string, RefTensor> Variables) Run(
        IModel model, string irText, IReadOnlyDictionary<string, (float[] Data, int[] Shape)> inputs, bool training)
    {
        var graph = GraphText.Parse(irText);
        var variables = new Dictionary<string, RefTensor>(StringComparer.Ordinal);
        foreach (var v in model.AllVariables)
            if (graph.Variables.TryGetValue(v.Name, out var info))
                variables[v.Name] = new RefTensor((Compiler.IR.DType)(int)v.DType, v.Shape.ToArray(), v.ToDoubleArray());
        var declared = graph.Inputs.ToDictionary(n => n.Attrs.GetString("name"), n => n.DType, StringComparer.Ordinal);
        var feeds = inputs.ToDictionary(kv => kv.Key, kv => new RefTensor(
            declared.TryGetValue(kv.Key, out var dtype) ? dtype : Compiler.IR.DType.Float32, kv.Value.Shape, kv.Value.Data.Select(f => (double)f).ToArray()));
        var run = new RunContext(training, model.Seed, (ulong)model.GlobalStep);
        var outputs = Interpreter.Outputs(graph, feeds, variables, run);
        return (outputs, variables);
    }
}
