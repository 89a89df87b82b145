using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Model;

namespace GraphCompiler.Compiler.Emit;

/// <summary>The C# type of one returned value: its element type, and whether it is a scalar or an NDArray.</summary>
public readonly record struct OutputType(DType DType, bool Scalar)
{
    public string CSharpName => Scalar ? DType.CSharpName() : $"NDArray<{DType.CSharpName()}>";
}

/// <summary>
/// The public signature of one generated entry method (or <c>TrainStep</c>): a span or scalar per
/// placeholder, an int per symbolic dim the inputs' lengths cannot give, <c>learningRate</c> for the
/// train step, and the return type. A model with build errors still emits it, with a body that throws,
/// so that the code calling the model keeps compiling.
/// </summary>
public sealed record EntrySignature(string Method, bool IsTrain, IReadOnlyList<ModelParameter> Parameters, IReadOnlyList<string> ExplicitDims, IReadOnlyList<OutputType> Outputs)
{
    /// <summary>The signature of a compiled entry graph: its placeholders' symbols and its returned outputs.</summary>
    public static EntrySignature Of(string method, bool isTrain, IReadOnlyList<ModelParameter> parameters, Graph graph, IEnumerable<string>? hyperDims = null)
    {
        var returned = isTrain
            ? new[] { graph.Output("loss") }
            : graph.Outputs.Where(o => !SummaryOutputs.IsSummary(o.Name)).Select(o => o.Node);
        return new EntrySignature(method, isTrain, parameters, DimBinding.Explicit(parameters, graph.Symbols, hyperDims), returned.Select(n => new OutputType(n.DType, n.Shape.Rank == 0)).ToList());
    }

    public IReadOnlyList<string> ParameterList
    {
        get
        {
            var list = Parameters.Select(p => p.Shape.Rank == 0 ? $"{p.DType.CSharpName()} {CSharpNames.Local(p.Name)}" : $"ReadOnlySpan<{p.DType.CSharpName()}> {CSharpNames.Local(p.Name)}").ToList();
            list.AddRange(ExplicitDims.Select(s => $"int {DimParameter(Parameters, s)}"));
            if (IsTrain) list.Add("float learningRate");
            return list;
        }
    }

    /// <summary>The parameters' names, for a call that forwards them.</summary>
    public IReadOnlyList<string> ArgumentList => ParameterList.Select(p => p.Substring(p.LastIndexOf(' ') + 1)).ToList();

    public string ReturnType => Outputs.Count switch
    {
        0 => "void",
        1 => Outputs[0].CSharpName,
        _ => "(" + string.Join(", ", Outputs.Select(o => o.CSharpName)) + ")",
    };

    /// <summary><c>public float TrainStep(ReadOnlySpan&lt;float&gt; x, float learningRate)</c>.</summary>
    public string Declaration
    {
        get
        {
            var parameters = ParameterList;
            return $"public {ReturnType} {MethodName(Method, parameters.Count)}({string.Join(", ", parameters)})";
        }
    }

    /// <summary>
    /// The generated method's name: the model method's own name, which overloads the user's static
    /// method by parameter types. A parameterless method would clash with it, so it gets
    /// <c>Evaluate</c> in front (<c>Read()</c> → <c>EvaluateRead()</c>).
    /// </summary>
    public static string MethodName(string method, int parameterCount) => parameterCount == 0 ? "Evaluate" + method : method;

    /// <summary>The parameter of an explicit dim: its symbol, suffixed when an input has that name.</summary>
    public static string DimParameter(IReadOnlyList<ModelParameter> parameters, string symbol) =>
        CSharpNames.Local(parameters.Any(p => p.Name == symbol) ? symbol + "Dim" : symbol);
}
