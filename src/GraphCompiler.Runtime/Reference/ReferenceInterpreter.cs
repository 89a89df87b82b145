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
    /// <summary>The graph's named outputs and the variable values after its effects.</summary>
    public static (Dictionary<string, RefTensor> Outputs, Dictionary<string, RefTensor> Variables) Run(
        IModel model, string irText, IReadOnlyDictionary<string, (float[] Data, int[] Shape)> inputs)
    {
        var graph = GraphText.Parse(irText);
        var variables = new Dictionary<string, RefTensor>(StringComparer.Ordinal);
        foreach (var v in model.AllVariables)
            if (graph.Variables.TryGetValue(v.Name, out var info))
                variables[v.Name] = new RefTensor((Compiler.IR.DType)(int)v.DType, v.Shape.ToArray(), v.ToDoubleArray());
        var feeds = inputs.ToDictionary(kv => kv.Key, kv => new RefTensor(Compiler.IR.DType.Float32, kv.Value.Shape, kv.Value.Data.Select(f => (double)f).ToArray()));
        var outputs = Interpreter.Outputs(graph, feeds, variables);
        return (outputs, variables);
    }
}
