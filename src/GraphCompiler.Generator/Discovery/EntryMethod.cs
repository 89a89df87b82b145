using GraphCompiler.Compiler.Model;
using Microsoft.CodeAnalysis;

namespace GraphCompiler.Generator.Discovery;

/// <summary>A model method found to be an entry point, with its placeholders.</summary>
internal sealed record EntryMethod(IMethodSymbol Method, bool IsLoss, IReadOnlyList<(IParameterSymbol Symbol, ModelParameter Parameter)> Parameters);
