using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Model;
using GraphCompiler.Generator.Discovery;
using Microsoft.CodeAnalysis;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// The public surface of a model whose lowering failed, in <see cref="ModelSurface"/>'s text form:
/// the variables created before the error and a signature per entry method that discovery
/// accepted. An entry that lowered has its exact signature; for one that did not, the C# return
/// type decides: a loss returns a float scalar, a Tensor an <c>NDArray&lt;float&gt;</c>, a tuple one per
/// element. Never throws: without a surface the model simply gets no generated code.
/// </summary>
internal static class ModelSurfaceReader
{
    public static string? Read(string? ns, string className, string access, IReadOnlyList<(EntryMethod Method, EntryPoint? Entry)> entries, IReadOnlyList<string> freezable, bool gradientSet, LoweringContext ctx)
    {
        try
        {
            var signatures = new List<EntrySignature>();
            var dims = ctx.Hypers.Where(h => h.IsDimension).Select(h => h.Name).ToList();
            foreach (var (method, entry) in entries)
            {
                var parameters = method.Parameters.Select(p => p.Parameter).ToList();
                signatures.Add(entry is not null
                    ? EntrySignature.Of(entry.MethodName, false, entry.Parameters, entry.Graph, dims)
                    : new EntrySignature(method.Method.Name, false, parameters, DimBinding.Explicit(parameters, Symbols(parameters), dims), Outputs(method, ctx.Api)));
            }
            if (entries.FirstOrDefault(e => e.Method.IsLoss) is { Method: not null } loss)
            {
                var parameters = loss.Method.Parameters.Select(p => p.Parameter).ToList();
                var dtype = loss.Entry?.Graph.Outputs.FirstOrDefault()?.Node.DType ?? DType.Float32;
                signatures.Add(ModelSurface.TrainStep(parameters, Symbols(parameters), dtype, dims));
            }
            var variables = ctx.Variables.All.Select(v => v.Info).ToList();
            return new ModelSurface(ns, className, access, variables, signatures, ctx.Hypers, freezable, gradientSet).ToText();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }

    private static IEnumerable<string> Symbols(IReadOnlyList<ModelParameter> parameters) => parameters.SelectMany(p => p.Shape.Symbols).Distinct();

    private static IReadOnlyList<OutputType> Outputs(EntryMethod method, ApiSymbols api)
    {
        var type = method.Method.ReturnType;
        if (method.Method.ReturnsVoid) return Array.Empty<OutputType>();
        if (method.IsLoss) return new[] { new OutputType(DType.Float32, true) };
        if (api.IsTensorTuple(type)) return ((INamedTypeSymbol)type).TupleElements.Select(_ => new OutputType(DType.Float32, false)).ToList();
        return new[] { new OutputType(DType.Float32, false) };
    }
}
