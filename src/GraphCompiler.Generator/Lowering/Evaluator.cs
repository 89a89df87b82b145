using GraphCompiler.Compiler.IR;
using GraphCompiler.Generator.Diagnostics;
using GraphCompiler.Generator.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// Lowers one entry method to a graph by evaluating its <see cref="IOperation"/> tree symbolically:
/// tensors become graph nodes, everything else is computed at build time. Loops are unrolled,
/// helpers inlined and compile-time branches taken; anything else stops with a diagnostic at the
/// smallest piece of code at fault. This file holds statements; expressions, calls, ops and scopes
/// have their own files.
/// </summary>
internal sealed partial class Evaluator
{
    /// <summary>Calls nested deeper than this are taken for unbounded recursion.</summary>
    public const int MaxCallDepth = 64;

    /// <summary>More iterations than this in one loop would unroll into an unreasonable graph.</summary>
    public const int MaxIterations = 10_000;

    private readonly LoweringContext _ctx;
    private GraphBuilder _g; // a loop body's builder while one is evaluated (Evaluator.Loops.cs)
    private readonly List<ScopeFrame> _scopes = new();
    private Frame _frame = new(null);
    private int _loopDepth;
    private int _callDepth;

    public Evaluator(LoweringContext ctx, GraphBuilder graph)
    {
        _ctx = ctx;
        _g = graph;
    }

    private ApiSymbols Api => _ctx.Api;

    private enum Flow
    {
        Next,
        Return,
        Break,
        Continue,
    }

    /// <summary>Locals and parameters of one inlined call; local functions see their parent's.</summary>
    private sealed class Frame(Frame? parent)
    {
        private readonly Dictionary<ISymbol, Value> _values = new(SymbolEqualityComparer.Default);

        public Value? Return { get; set; }

        public bool TryGet(ISymbol symbol, out Value value)
        {
            for (var f = this; f is not null; f = f.Parent)
                if (f._values.TryGetValue(symbol.OriginalDefinition, out value!)) return true;
            value = NullValue.Instance;
            return false;
        }

        public void Declare(ISymbol symbol, Value value) => _values[symbol.OriginalDefinition] = value;

        public void Set(ISymbol symbol, Value value)
        {
            for (var f = this; f is not null; f = f.Parent)
                if (f._values.ContainsKey(symbol.OriginalDefinition))
                {
                    f._values[symbol.OriginalDefinition] = value;
                    return;
                }
            _values[symbol.OriginalDefinition] = value;
        }

        private Frame? Parent { get; } = parent;
    }

    /// <summary>Binds the entry's parameters to placeholders, runs its body and returns its result.</summary>
    public Value? RunEntry(IReadOnlyList<(IParameterSymbol Symbol, Node Input)> inputs, IBlockOperation body)
    {
        foreach (var (symbol, input) in inputs) _frame.Declare(symbol, new TensorValue(input));
        Exec(body);
        return _frame.Return;
    }

    private Flow Exec(IOperation op)
    {
        _ctx.CancellationToken.ThrowIfCancellationRequested();
        switch (op)
        {
            case IBlockOperation block:
                return ExecBlock(block.Operations);
            case IVariableDeclarationGroupOperation group:
                Declare(group);
                return Flow.Next;
            case IExpressionStatementOperation statement:
                Eval(statement.Operation);
                return Flow.Next;
            case IReturnOperation ret:
                _frame.Return = ret.ReturnedValue is null ? null : Eval(ret.ReturnedValue);
                return Flow.Return;
            case IConditionalOperation branch:
            {
                bool condition = Condition(branch.Condition);
                if (condition) return Exec(branch.WhenTrue);
                return branch.WhenFalse is null ? Flow.Next : Exec(branch.WhenFalse);
            }
            case IForLoopOperation loop:
                return ExecFor(loop);
            case IForEachLoopOperation loop:
                return ExecForEach(loop);
            case IWhileLoopOperation:
                throw Error(Descriptors.WhileLoop, op.Syntax.GetFirstToken(), op.Syntax.GetFirstToken().Text);
            case IBranchOperation { BranchKind: BranchKind.Break }:
                return Flow.Break;
            case IBranchOperation { BranchKind: BranchKind.Continue }:
                return Flow.Continue;
            case IUsingDeclarationOperation usingDeclaration:
                foreach (var scope in Declare(usingDeclaration.DeclarationGroup)) _blockScopes.Peek().Add(scope);
                return Flow.Next;
            case IUsingOperation usingBlock:
                return ExecUsing(usingBlock);
            case IEmptyOperation:
            case ILocalFunctionOperation: // a declaration only; calls inline its body
                return Flow.Next;
            default:
                throw Error(Descriptors.UnsupportedStatement, op.Syntax.GetFirstToken(), op.Syntax.GetFirstToken().Text);
        }
    }

    // Scopes opened by `using var` close at the end of the enclosing block, innermost first.
    private readonly Stack<List<ScopeValue>> _blockScopes = new();

    private Flow ExecBlock(IEnumerable<IOperation> statements)
    {
        var opened = new List<ScopeValue>();
        _blockScopes.Push(opened);
        var flow = Flow.Next;
        foreach (var statement in statements)
        {
            flow = Exec(statement);
            if (flow != Flow.Next) break;
        }
        _blockScopes.Pop();
        for (int i = opened.Count - 1; i >= 0; i--) CloseScope(opened[i]);
        return flow;
    }

    private Flow ExecUsing(IUsingOperation usingBlock)
    {
        var opened = usingBlock.Resources is IVariableDeclarationGroupOperation group
            ? Declare(group)
            : Eval(usingBlock.Resources) is ScopeValue s ? new List<ScopeValue> { s } : new List<ScopeValue>();
        var flow = Exec(usingBlock.Body);
        for (int i = opened.Count - 1; i >= 0; i--) CloseScope(opened[i]);
        return flow;
    }

    /// <summary>Declares locals; returns the scopes among their values (for using declarations).</summary>
    private List<ScopeValue> Declare(IVariableDeclarationGroupOperation group)
    {
        var scopes = new List<ScopeValue>();
        foreach (var declaration in group.Declarations)
            foreach (var declarator in declaration.Declarators)
            {
                var initializer = declarator.Initializer ?? declaration.Initializer;
                var value = initializer is null ? NullValue.Instance : Eval(initializer.Value);
                _frame.Declare(declarator.Symbol, value);
                if (value is ScopeValue scope) scopes.Add(scope);
            }
        return scopes;
    }

    private Flow ExecFor(IForLoopOperation loop)
    {
        if (TrySymbolicFor(loop, out var symbolic)) return symbolic;
        foreach (var before in loop.Before) Exec(before);
        int iterations = 0;
        _loopDepth++;
        try
        {
            while (true)
            {
                if (loop.Condition is not null)
                {
                    var c = Eval(loop.Condition);
                    if (c is not BoolValue condition)
                        throw Error(Descriptors.NonConstantLoop, loop.Condition.Syntax, "condition", c.Describe());
                    if (!condition.Value) break;
                }
                if (++iterations > MaxIterations) throw Error(Descriptors.UnrollLimit, loop.Syntax.GetFirstToken(), MaxIterations.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var flow = Exec(loop.Body);
                if (flow == Flow.Return) return flow;
                if (flow == Flow.Break) break;
                foreach (var step in loop.AtLoopBottom) Exec(step);
            }
        }
        finally
        {
            _loopDepth--;
        }
        return Flow.Next;
    }

    private Flow ExecForEach(IForEachLoopOperation loop)
    {
        var collection = Eval(loop.Collection);
        if (collection is not ArrayValue array)
            throw Error(Descriptors.NonConstantLoop, Unwrap(loop.Collection).Syntax, "collection", collection.Describe());
        if (array.Items.Length > MaxIterations) throw Error(Descriptors.UnrollLimit, loop.Syntax.GetFirstToken(), MaxIterations.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _loopDepth++;
        try
        {
            foreach (var item in array.Items.ToArray())
            {
                AssignPattern(loop.LoopControlVariable, item, declare: true);
                var flow = Exec(loop.Body);
                if (flow == Flow.Return) return flow;
                if (flow == Flow.Break) break;
            }
        }
        finally
        {
            _loopDepth--;
        }
        return Flow.Next;
    }

    private bool Condition(IOperation condition)
    {
        var value = Eval(condition);
        return value is BoolValue b ? b.Value : throw Error(Descriptors.NonConstantCondition, condition.Syntax, value.Describe());
    }

    private static IOperation Unwrap(IOperation op) => op is IConversionOperation { IsImplicit: true } c ? Unwrap(c.Operand) : op;

    private LoweringException Error(DiagnosticDescriptor descriptor, SyntaxNode at, params string[] args) =>
        new(DiagnosticInfo.Create(descriptor, LocationInfo.From(at), args));

    private LoweringException Error(DiagnosticDescriptor descriptor, SyntaxToken at, params string[] args) =>
        new(DiagnosticInfo.Create(descriptor, LocationInfo.From(at), args));

    private void Warn(DiagnosticDescriptor descriptor, SyntaxNode at, params string[] args) =>
        _ctx.Report(DiagnosticInfo.Create(descriptor, LocationInfo.From(at), args));
}
