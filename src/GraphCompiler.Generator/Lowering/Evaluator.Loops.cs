using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// <c>for (int t = 0; t &lt; x.Shape[1]; t++)</c> over a symbolic dimension becomes one loop region
/// (<see cref="LoopOp"/>, the <c>dynamic_rnn</c> path) instead of being unrolled: the body is evaluated once,
/// into the loop's body graph. Tensor locals from before the loop that the body assigns are the loop-carried
/// states; <c>Unstack(x, 1)</c> of a sequence over the same dimension, indexed by <c>t</c>, is the step's
/// input; an array made as <c>new Tensor[x.Shape[1]]</c> and written at <c>t</c> is a per-step output,
/// stacked after the loop (<c>Stack(outputs, 1)</c>). Anything the body cannot express per step (break, a
/// non-tensor local that changes, other uses of <c>t</c>) is GC0120 at its location.
/// </summary>
internal sealed partial class Evaluator
{
    /// <summary>The loop region being evaluated, innermost last.</summary>
    private readonly Stack<SymbolicLoop> _symbolicLoops = new();

    private sealed class SymbolicLoop(ILocalSymbol index, string symbol, LoopBuilder builder)
    {
        public ILocalSymbol Index { get; } = index;
        public string Symbol { get; } = symbol;
        public LoopBuilder Builder { get; } = builder;
        public Dictionary<TimeArrayValue, Node> Steps { get; } = new();
    }

    /// <summary>Runs <paramref name="loop"/> as a loop region when its bound is a symbolic dimension.</summary>
    private bool TrySymbolicFor(IForLoopOperation loop, out Flow flow)
    {
        flow = Flow.Next;
        if (SymbolicBound(loop) is not var (index, symbol)) return false;
        var carried = CarriedLocals(loop, index);
        var outer = _g;
        var builder = new LoopBuilder(outer, "while");
        if (outer.ScopePrefix.Length > 0) builder.Body.PushExactScope(outer.ScopePrefix.TrimEnd('/'));
        var states = new List<(ISymbol Symbol, SyntaxNode At, Node Port)>();
        foreach (var (local, at) in carried)
        {
            _frame.TryGet(local, out var value);
            if (value is not TensorValue initial)
                throw Error(Descriptors.SymbolicLoop, at, $"'{local.Name}' changes at every step but holds {value.Describe()} before the loop; only tensors can be loop-carried");
            var port = builder.State(initial.Node);
            _frame.Set(local, new TensorValue(port));
            states.Add((local, at, port));
        }
        var frame = new SymbolicLoop(index, symbol, builder);
        _symbolicLoops.Push(frame);
        _g = builder.Body;
        _frame.Declare(index, new LoopIndexValue(symbol));
        _loopDepth++;
        try
        {
            var result = Exec(loop.Body);
            if (result is Flow.Break or Flow.Return)
                throw Error(Descriptors.SymbolicLoop, loop.Syntax.GetFirstToken(), result == Flow.Break ? "'break'" : "'return'");
        }
        finally
        {
            _loopDepth--;
            _g = outer;
            _symbolicLoops.Pop();
        }
        // The time length is read off a sequence at run time; a loop that reads none has no length to run over.
        if (builder.SequenceCount == 0)
            throw Error(Descriptors.NonConstantLoop, loop.Condition!.Syntax, "condition", $"symbolic dimension '{symbol}', and the loop reads no sequence over it (Unstack(x, 1)[{index.Name}])");
        var next = new List<Node>();
        foreach (var (local, at, port) in states)
        {
            _frame.TryGet(local, out var value);
            if (value is not TensorValue t || t.Node.DType != port.DType || !t.Node.Shape.Equals(port.Shape))
                throw Error(Descriptors.SymbolicLoop, at, $"'{local.Name}' enters the loop as {port.DType.ShortName()}{port.Shape} but a step leaves it {value.Describe()}; a loop-carried tensor keeps its dtype and shape");
            next.Add(t.Node);
        }
        var written = frame.Steps.ToList();
        LoopResult? loopResult = null;
        At(loop.Syntax, () => (loopResult = builder.Finish(next, written.Select(w => w.Value).ToList())).Loop);
        for (int i = 0; i < states.Count; i++) _frame.Set(states[i].Symbol, new TensorValue(loopResult!.FinalStates[i]));
        for (int j = 0; j < written.Count; j++) written[j].Key.Stacked = loopResult!.Outputs[j];
        return true;
    }

    /// <summary>The index local and the symbol when the loop reads <c>for (int t = 0; t &lt; symbolic; t++)</c>; null otherwise.</summary>
    private (ILocalSymbol Index, string Symbol)? SymbolicBound(IForLoopOperation loop)
    {
        if (loop.Condition is not IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan } condition
            || Unwrap(condition.LeftOperand) is not ILocalReferenceOperation { Local: var index }
            || loop.Locals.Length != 1 || !SymbolEqualityComparer.Default.Equals(loop.Locals[0], index))
            return null;
        if (Eval(condition.RightOperand) is not SymbolicDimValue bound || _ctx.IsHyperDim(bound.Symbol)) return null;
        bool startsAtZero = loop.Before.Length == 1 && loop.Before[0] is IVariableDeclarationGroupOperation group
            && group.Declarations.SelectMany(d => d.Declarators).SingleOrDefault()?.Initializer?.Value.ConstantValue is { HasValue: true, Value: 0 };
        bool stepsByOne = loop.AtLoopBottom.Length == 1 && loop.AtLoopBottom[0] is IExpressionStatementOperation
        {
            Operation: IIncrementOrDecrementOperation { Kind: OperationKind.Increment, Target: ILocalReferenceOperation step }
        } && SymbolEqualityComparer.Default.Equals(step.Local, index);
        if (!startsAtZero || !stepsByOne)
            throw Error(Descriptors.SymbolicLoop, loop.Syntax.GetFirstToken(), $"a loop over '{bound.Symbol}' other than 'for (int {index.Name} = 0; {index.Name} < …; {index.Name}++)'");
        return (index, bound.Symbol);
    }

    /// <summary>Locals and parameters declared outside the loop that its body assigns, with their first assignment.</summary>
    private static List<(ISymbol Symbol, SyntaxNode At)> CarriedLocals(IForLoopOperation loop, ILocalSymbol index)
    {
        var found = new List<(ISymbol, SyntaxNode)>();
        var span = loop.Syntax.Span;
        foreach (var op in loop.Body.Descendants())
        {
            var target = op switch
            {
                ISimpleAssignmentOperation a => a.Target,
                ICompoundAssignmentOperation c => c.Target,
                IIncrementOrDecrementOperation i => i.Target,
                _ => null,
            };
            ISymbol? symbol = target switch
            {
                ILocalReferenceOperation l => l.Local,
                IParameterReferenceOperation p => p.Parameter,
                _ => null,
            };
            if (symbol is null || SymbolEqualityComparer.Default.Equals(symbol, index)) continue;
            if (symbol is ILocalSymbol && symbol.DeclaringSyntaxReferences.Any(r => span.Contains(r.Span))) continue;
            if (!found.Any(f => SymbolEqualityComparer.Default.Equals(f.Item1, symbol))) found.Add((symbol, op.Syntax));
        }
        return found;
    }

    /// <summary><c>new Tensor[x.Shape[1]]</c>: an array over a symbolic dimension, written per step.</summary>
    private Value? TimeArrayCreation(IArrayCreationOperation creation) =>
        creation.Initializer is null && creation.DimensionSizes.Length == 1 && Eval(creation.DimensionSizes[0]) is SymbolicDimValue s && !_ctx.IsHyperDim(s.Symbol)
            ? new TimeArrayValue(s.Symbol, null)
            : null;

    /// <summary>
    /// <c>Unstack(x, 1)</c> along a symbolic axis: the steps of a sequence, read in a loop over that dimension.
    /// Other symbolic axes stay GC0250 (a sequence is batch-major, <c>[batch, time, ...]</c>).
    /// </summary>
    private static Value? TimeArrayOf(Node x, int axis) =>
        axis == 1 && x.Shape.Rank >= 2 && !x.Shape[1].IsStatic ? new TimeArrayValue(x.Shape[1].Symbol!, x) : null;

    /// <summary><c>Stack(outputs, 1)</c> of an array written in a loop: its stacked result.</summary>
    private Node StackedTimeArray(TimeArrayValue array, int axis, SyntaxNode at)
    {
        if (axis != 1) throw Error(Descriptors.SymbolicLoop, at, $"Stack along axis {axis} of the steps over '{array.Symbol}': per-step outputs are stacked along axis 1, [batch, time, ...]");
        return array.Stacked ?? throw Error(Descriptors.SymbolicLoop, at, $"Stack of the steps over '{array.Symbol}' before a loop over '{array.Symbol}' has written them");
    }

    /// <summary>Reads <c>steps[t]</c> in a loop over the array's dimension; null when the array is an ordinary one.</summary>
    private Value? ReadTimeArray(IArrayElementReferenceOperation element)
    {
        if (element.Indices.Length != 1 || Eval(element.ArrayReference) is not TimeArrayValue array) return null;
        var loop = StepOf(array, element);
        if (loop.Steps.TryGetValue(array, out var written)) return new TensorValue(written);
        if (array.Stacked is null) throw Error(Descriptors.NotATensor, element.Syntax, $"step {loop.Index.Name} of '{element.ArrayReference.Syntax}' is read before it is written");
        return new TensorValue(loop.Builder.Sequence(array.Stacked));
    }

    /// <summary>Writes <c>outputs[t] = v</c> in a loop over the array's dimension; false when the array is an ordinary one.</summary>
    private bool WriteTimeArray(IArrayElementReferenceOperation element, Value value)
    {
        if (element.Indices.Length != 1 || Eval(element.ArrayReference) is not TimeArrayValue array) return false;
        var loop = StepOf(array, element);
        if (value is not TensorValue t) throw Error(Descriptors.NotATensor, element.Syntax, value.Describe());
        loop.Steps[array] = loop.Builder.Adopt(t.Node);
        return true;
    }

    private SymbolicLoop StepOf(TimeArrayValue array, IArrayElementReferenceOperation element)
    {
        var index = Eval(element.Indices[0]);
        var loop = _symbolicLoops.Count > 0 ? _symbolicLoops.Peek() : null;
        if (loop is null || index is not LoopIndexValue || loop.Symbol != array.Symbol)
            throw Error(Descriptors.SymbolicLoop, element.Syntax,
                $"'{element.Syntax}': an array over the symbolic dimension '{array.Symbol}' is indexed only by the index of a loop over '{array.Symbol}'");
        return loop;
    }
}

/// <summary>
/// An array over a symbolic dimension: the steps of a sequence (<see cref="Stacked"/> from <c>Unstack(x, 1)</c>)
/// or a per-step output (<c>new Tensor[x.Shape[1]]</c>, <see cref="Stacked"/> set by the loop that writes it).
/// </summary>
internal sealed class TimeArrayValue(string symbol, Node? stacked) : Value
{
    public string Symbol { get; } = symbol;

    public Node? Stacked { get; set; } = stacked;

    public override string Describe() => $"the steps over the symbolic dimension '{Symbol}'";
}

/// <summary>The index of a loop over a symbolic dimension: known only while the loop runs.</summary>
internal sealed class LoopIndexValue(string symbol) : Value
{
    public string Symbol { get; } = symbol;

    public override string Describe() => $"the step index of a loop over '{Symbol}', known only when the loop runs";
}
