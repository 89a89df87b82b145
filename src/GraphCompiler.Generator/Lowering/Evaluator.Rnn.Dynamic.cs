using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using ShapeOps = GraphCompiler.Compiler.Ops.Composites.Shapes;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// <c>Rnn.DynamicRnn</c>: over a symbolic time dim, the cell's steps become one loop region (the states
/// carried, the step's projected input a sequence); over a static one they unroll as StaticRnn's do, so
/// both compute the same values. The input projection of all steps is one product outside the loop.
/// </summary>
internal sealed partial class Evaluator
{
    /// <summary>While a loop body is built: the graph outside it, where per-sequence values (variational masks) are drawn.</summary>
    private GraphBuilder? _outsideLoop;

    /// <summary>While DynamicRnn projects its batch-major input: a variational input mask is [batch, n], applied at every step.</summary>
    private bool _batchMajorInput;

    private Value DynamicRnn(Arguments args)
    {
        var at = args.Call.Syntax;
        var cell = Cells(new ArrayValue([args["cell"]]), args.Syntax("cell"))[0];
        var x = TensorOf(args["inputs"], args.Syntax("inputs"));
        if (x.Shape.Rank != 3 || !x.Shape[2].IsStatic)
            throw Error(Descriptors.ShapeError, args.Syntax("inputs"), $"DynamicRnn: inputs must be [batch, time, features] with static features, got {x.DType.ShortName()}{x.Shape}");
        var initial = args["initialState"] is NullValue ? null : TensorArray(args["initialState"], args.Syntax("initialState"));
        var lengths = SequenceLengths(args);
        var scope = new LayerValue("rnn", args, args["scope"] is StringValue ? Name(args, "scope", "scope") : null);
        var (outputs, state) = InLayerScope(scope, "rnn", () =>
        {
            if (!x.Shape[1].IsStatic) return DynamicLoop(cell, x, initial, lengths, at);
            var (steps, final) = Unroll(cell, Located(at, () => _g.Apply("transpose", [x], Attrs.Of(("perm", new[] { 1, 0, 2 })))), initial, lengths, at);
            return (Located(at, () => ShapeOps.Stack(_g, steps, 1)), final);
        });
        return new TupleValue([new TensorValue(outputs), TensorArrayValue(state)]);
    }

    /// <summary>
    /// The loop region: states are the cell's state (and, with lengths, a step counter per example that
    /// masks the steps past its length, as StaticRnn's masks do); the sequence is the projected input.
    /// </summary>
    private (Node Outputs, Node[] State) DynamicLoop(RnnCellValue cell, Node x, Node[]? initial, Node? lengths, SyntaxNode at)
    {
        var batch = x.Shape[0];
        if (initial is not null) CheckState(cell, initial, batch, at);
        ForgetMasks(cell);
        return Located(at, () =>
        {
            var state = initial ?? cell.StateUnits.Select(u => ShapeOps.Fill(_g, Shape.Of(batch, Dim.Of(u)), 0, x.DType)).ToArray();
            var limits = lengths is null ? null : ShapeOps.ExpandDims(_g, Cast.Apply(_g, lengths, x.DType), 1);
            _batchMajorInput = true;
            Node? projected;
            try
            {
                projected = Hoistable(cell) ? Project(cell, x) : null;
            }
            finally
            {
                _batchMajorInput = false;
            }
            var recurrent = projected is not null ? RecurrentKernels(cell, x.Shape[2].Size) : null;
            var outer = _g;
            var builder = new LoopBuilder(outer, "while");
            if (outer.ScopePrefix.Length > 0) builder.Body.PushExactScope(outer.ScopePrefix.TrimEnd('/'));
            var ports = state.Select(builder.State).ToArray();
            var counter = limits is null ? null : builder.State(ShapeOps.Fill(_g, Shape.Of(batch, Dim.Of(1)), 0, x.DType));
            var input = builder.Sequence(projected ?? x);
            Node output;
            Node[] next;
            _g = builder.Body;
            _outsideLoop = outer;
            try
            {
                (output, next) = projected is not null ? Step(cell, input, ports, x.Shape[2].Size, recurrent) : CallCell(cell, input, ports);
                if (counter is not null)
                {
                    using var _ = _g.NameScope("mask");
                    // The mask does not depend on any variable: no gradient flows through the comparison.
                    var m = _g.Apply("stop_gradient", [Cast.Apply(_g, _g.Apply("less", [counter, limits!]), output.DType)]);
                    var kept = _g.Sub(_g.Constant(1, output.DType), m);
                    output = _g.Mul(output, m);
                    next = next.Select((s, i) => _g.Add(_g.Mul(s, m), _g.Mul(ports[i], kept))).Append(_g.Add(counter, _g.Constant(1, x.DType))).ToArray();
                }
            }
            finally
            {
                _g = outer;
                _outsideLoop = null;
            }
            var result = builder.Finish(next, [output]);
            return (result.Outputs[0], result.FinalStates.Take(state.Length).ToArray());
        });
    }
}
