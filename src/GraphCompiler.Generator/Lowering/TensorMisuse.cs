using GraphCompiler.Generator.Diagnostics;
using GraphCompiler.Generator.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// Two mistakes a TensorFlow user makes in C#, which the C# compiler reports only as a type error:
/// a <c>Math</c> function applied to a tensor (<c>Math.Sqrt(x)</c>, GC0113) and a tensor compared
/// with an operator (<c>if (x &gt; 0f)</c>, GC0114). At the code where lowering failed, these
/// replace the generic diagnostic with one that names the op to use.
/// </summary>
internal static class TensorMisuse
{
    public static DiagnosticInfo? Hint(SyntaxNode failed, LoweringContext ctx)
    {
        var model = ctx.GetSemanticModel(failed.SyntaxTree);
        bool IsTensor(ExpressionSyntax e) => ctx.Api.IsTensor(model.GetTypeInfo(e, ctx.CancellationToken).Type);
        foreach (var node in failed.AncestorsAndSelf().TakeWhile(n => n is not StatementSyntax).Concat(failed is IfStatementSyntax s ? new[] { s.Condition } : Array.Empty<SyntaxNode>()))
        {
            switch (node)
            {
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } call
                    when model.GetSymbolInfo(access.Expression, ctx.CancellationToken).Symbol is INamedTypeSymbol type
                         && (ApiSymbols.Is(type, ctx.Api.Math) || ApiSymbols.Is(type, ctx.Api.MathF))
                         && call.ArgumentList.Arguments.Any(a => IsTensor(a.Expression)):
                {
                    var name = access.Name.Identifier.Text;
                    var advice = ctx.Api.Ops?.GetMembers(name).Any() == true
                        ? $"use the op {name}({string.Join(", ", call.ArgumentList.Arguments)}), which works elementwise on tensors"
                        : "use the op of the same meaning from Ops, which works elementwise on tensors";
                    return DiagnosticInfo.Create(Descriptors.MathOnTensor, LocationInfo.From(call), $"{type.Name}.{name}", advice);
                }
                case BinaryExpressionSyntax binary when Comparison(binary.Kind()) is { } op && (IsTensor(binary.Left) || IsTensor(binary.Right)):
                {
                    var compare = $"{op}({binary.Left}, {binary.Right})";
                    var advice = binary.Parent is IfStatementSyntax or ConditionalExpressionSyntax
                        ? $"a branch is chosen at build time, so choose elementwise instead: Where({compare}, whenTrue, whenFalse)"
                        : $"compare with the op {compare}, which makes a bool tensor";
                    return DiagnosticInfo.Create(Descriptors.TensorComparison, LocationInfo.From(binary), binary.ToString(), advice);
                }
                case ExpressionSyntax condition when condition.Parent is IfStatementSyntax or ConditionalExpressionSyntax && IsTensor(condition):
                    return DiagnosticInfo.Create(Descriptors.TensorComparison, LocationInfo.From(condition), condition.ToString(),
                        $"a branch is chosen at build time, so choose elementwise instead: Where({condition}, whenTrue, whenFalse)");
            }
        }
        return null;
    }

    private static string? Comparison(SyntaxKind kind) => kind switch
    {
        SyntaxKind.GreaterThanExpression => "Greater",
        SyntaxKind.GreaterThanOrEqualExpression => "GreaterEqual",
        SyntaxKind.LessThanExpression => "Less",
        SyntaxKind.LessThanOrEqualExpression => "LessEqual",
        SyntaxKind.EqualsExpression => "Equal",
        SyntaxKind.NotEqualsExpression => "NotEqual",
        _ => null,
    };
}
