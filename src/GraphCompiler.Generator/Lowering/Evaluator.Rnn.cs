using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ShapeOps = GraphCompiler.Compiler.Ops.Composites.Shapes;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// Calls to <c>GraphCompiler.Rnn</c>, <c>RnnCell.Call</c> and the Keras recurrent layers: cells become
/// <see cref="RnnCellValue"/>s, and <c>StaticRnn</c> unrolls them over the input steps
/// (Evaluator.Rnn.Cells.cs holds the cells' equations).
/// </summary>
internal sealed partial class Evaluator
{
    private Value RnnCall(string name, Arguments args)
    {
        var at = args.Call.Syntax;
        switch (name)
        {
            case "BasicRnnCell":
            case "BasicLstmCell":
            case "GruCell":
            {
                int units = (int)IntOf(args["numUnits"], args.Syntax("numUnits"), "as a cell's units");
                if (units < 1) throw Error(Descriptors.ShapeError, args.Syntax("numUnits"), $"{name}: numUnits must be at least 1, got {units}");
                var kind = name switch { "BasicRnnCell" => "basic_rnn_cell", "BasicLstmCell" => "basic_lstm_cell", _ => "gru_cell" };
                return new RnnCellValue(kind, at)
                {
                    Units = units,
                    ForgetBias = name == "BasicLstmCell" ? FloatOf(args["forgetBias"], args.Syntax("forgetBias"), "as the forget bias") : 0,
                    Scope = new LayerValue(kind, args, args["name"] is StringValue ? LayerName(args) : null),
                    CellScopes = GruScopes(kind, args),
                };
            }
            case "MultiRnnCell":
            {
                var cells = Cells(args["cells"], args.Syntax("cells"));
                if (cells.Length == 0) throw Error(Descriptors.ShapeError, at, "MultiRnnCell: needs at least one cell");
                return new RnnCellValue("multi_rnn_cell", at)
                {
                    Units = cells[cells.Length - 1].Units,
                    Cells = cells,
                    Scope = new LayerValue("multi_rnn_cell", args, null),
                    CellScopes = cells.Select((_, i) => new LayerValue("cell", args, "cell_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray(),
                };
            }
            case "DropoutWrapper":
            {
                var inner = Cells(new ArrayValue([args["cell"]]), args.Syntax("cell"))[0];
                double Rate(string keep)
                {
                    double p = FloatOf(args[keep], args.Syntax(keep), "as a keep probability");
                    if (!(p > 0 && p <= 1)) throw Error(Descriptors.ShapeError, args.Syntax(keep), $"DropoutWrapper: {keep} must be in (0, 1], got {p.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
                    // In decimal, as Ops.DropoutKeep, so that a keep of 0.8 is exactly a rate of 0.2.
                    return (double)(1m - (decimal)p);
                }
                return new RnnCellValue("dropout_wrapper", at)
                {
                    Units = inner.Units,
                    Cells = [inner],
                    Rates = (Rate("inputKeep"), Rate("outputKeep"), Rate("stateKeep")),
                    Variational = Bool(args["variationalRecurrent"], args.Syntax("variationalRecurrent")),
                    Seed = args["seed"] is IntValue s ? s.Value : null,
                };
            }
            case "StaticRnn":
            {
                var cell = Cells(new ArrayValue([args["cell"]]), args.Syntax("cell"))[0];
                var inputs = TensorArray(args["inputs"], args.Syntax("inputs"));
                if (inputs.Length == 0) throw Error(Descriptors.ShapeError, args.Syntax("inputs"), "StaticRnn: needs at least one input step");
                foreach (var x in inputs) CheckStepInput(x, inputs[0], args.Syntax("inputs"));
                var initial = args["initialState"] is NullValue ? null : TensorArray(args["initialState"], args.Syntax("initialState"));
                var lengths = SequenceLengths(args);
                var scope = new LayerValue("rnn", args, args["scope"] is StringValue ? Name(args, "scope", "scope") : null);
                var (outputs, state) = InLayerScope(scope, "rnn", () =>
                    Unroll(cell, Located(at, () => ShapeOps.Stack(_g, inputs, 0)), initial, lengths, at));
                return new TupleValue([TensorArrayValue(outputs), TensorArrayValue(state)]);
            }
            case "DynamicRnn":
                return DynamicRnn(args);
            case "SequenceMask":
            {
                var lengths = TensorOf(args["lengths"], args.Syntax("lengths"));
                int max = (int)IntOf(args["maxLength"], args.Syntax("maxLength"), "as a sequence length");
                if (max < 1) throw Error(Descriptors.ShapeError, args.Syntax("maxLength"), $"SequenceMask: maxLength must be at least 1, got {max}");
                return new TensorValue(At(at, () =>
                {
                    var steps = ShapeOps.Range(_g, 0, max, 1, Compiler.IR.DType.Int32);
                    var less = _g.Apply("less", [ShapeOps.ExpandDims(_g, steps, 0), ShapeOps.ExpandDims(_g, lengths, 1)]);
                    return Cast.Apply(_g, less, Compiler.IR.DType.Float32);
                }));
            }
            default:
                throw Error(Descriptors.UnknownMethod, at, "Rnn." + name);
        }
    }

    /// <summary>A GRU cell's <c>gates</c> and <c>candidate</c> sub-scopes.</summary>
    private static LayerValue[] GruScopes(string kind, object args) =>
        kind == "gru_cell" ? [new LayerValue("gates", args, "gates"), new LayerValue("candidate", args, "candidate")] : [];

    private RnnCellValue[] Cells(Value value, SyntaxNode at) =>
        value is ArrayValue array
            ? array.Items.Select(v => v as RnnCellValue ?? throw Error(Descriptors.EvaluationError, at, $"expected a recurrent cell, got {v.Describe()}")).ToArray()
            : throw Error(Descriptors.EvaluationError, at, $"expected recurrent cells, got {value.Describe()}");

    private Node? SequenceLengths(Arguments args)
    {
        if (args["sequenceLength"] is NullValue) return null;
        var lengths = TensorOf(args["sequenceLength"], args.Syntax("sequenceLength"));
        if (lengths.DType != Compiler.IR.DType.Int32 || lengths.Shape.Rank != 1)
            throw Error(Descriptors.ShapeError, args.Syntax("sequenceLength"), $"StaticRnn: sequenceLength must be Int32 [batch], got {lengths.DType.ShortName()}{lengths.Shape}");
        return lengths;
    }

    private void CheckStepInput(Node x, Node first, SyntaxNode at)
    {
        if (x.Shape.Rank != 2 || !x.Shape[1].IsStatic)
            throw Error(Descriptors.ShapeError, at, $"StaticRnn: each input step must be [batch, features] with static features, got {x.DType.ShortName()}{x.Shape}");
        if (!x.Shape.Equals(first.Shape))
            throw Error(Descriptors.ShapeError, at, $"StaticRnn: every input step must have the same shape, got {first.Shape} and {x.Shape}");
    }

    /// <summary><c>cell.Call(x, state)</c>: one step.</summary>
    private Value RnnCellMethod(IInvocationOperation call)
    {
        if (call.TargetMethod.Name != "Call" || call.Instance is null) throw Error(Descriptors.UnknownMethod, call.Syntax, call.TargetMethod.ToDisplayString());
        if (Eval(call.Instance) is not RnnCellValue cell) throw Error(Descriptors.EvaluationError, call.Instance.Syntax, "the cell is null");
        var args = Bind(call);
        var x = TensorOf(args["x"], args.Syntax("x"));
        CheckStepInput(x, x, args.Syntax("x"));
        var state = TensorArray(args["state"], args.Syntax("state"));
        CheckState(cell, state, x.Shape[0], args.Syntax("state"));
        var (output, next) = Located(call.Syntax, () => CallCell(cell, x, state));
        return new TupleValue([new TensorValue(output), TensorArrayValue(next)]);
    }

    /// <summary>A state of the wrong length or shape for <paramref name="cell"/> is a shape error here rather than deep inside a step.</summary>
    private void CheckState(RnnCellValue cell, Node[] state, Dim batch, SyntaxNode at)
    {
        var units = cell.StateUnits.ToArray();
        if (state.Length != units.Length)
            throw Error(Descriptors.ShapeError, at, $"{cell.Kind}: the state has {units.Length} tensors ([{string.Join(", ", units.Select(u => $"[batch, {u}]"))}]), got {state.Length}");
        for (int i = 0; i < units.Length; i++)
            if (!state[i].Shape.Equals(Shape.Of(batch, Dim.Of(units[i]))))
                throw Error(Descriptors.ShapeError, at, $"{cell.Kind}: state tensor {i} must be [{batch}, {units[i]}], got {state[i].Shape}");
    }

    /// <summary>
    /// <c>Layers.Gru</c> / <c>Layers.Lstm</c> on x [batch, time, features]: TensorFlow's cell with its
    /// variables directly in the layer's scope, unrolled over a static time dim and a loop region over a
    /// symbolic one (DynamicRnn's); a stateful layer starts from its kept state and assigns the final one back.
    /// </summary>
    private Node RecurrentLayer(LayerValue layer, Node x)
    {
        var args = (Arguments)layer.Arguments;
        var at = args.Call.Syntax;
        int units = (int)IntOf(args["units"], args.Syntax("units"), "as a layer's units");
        if (units < 1) throw Error(Descriptors.ShapeError, args.Syntax("units"), $"{layer.Kind.ToLowerInvariant()}: units must be at least 1, got {units}");
        bool returnSequences = Bool(args["returnSequences"], args.Syntax("returnSequences"));
        bool stateful = Bool(args["stateful"], args.Syntax("stateful"));
        if (x.Shape.Rank != 3 || !x.Shape[2].IsStatic)
            throw Error(Descriptors.ShapeError, at, $"{layer.Kind.ToLowerInvariant()}: the input must be [batch, time, features] with static features, got {x.DType.ShortName()}{x.Shape}");
        var kerasName = LayerKinds[layer.Kind];
        var kind = layer.Kind == "Gru" ? "gru_cell" : "basic_lstm_cell";
        var cell = new RnnCellValue(kind, at) { Units = units, ForgetBias = 1, Scope = layer, ScopeName = kerasName, CellScopes = GruScopes(kind, args) };
        Node[]? kept = null;
        if (stateful)
        {
            if (!x.Shape[0].IsStatic)
                throw Error(Descriptors.ShapeError, at, $"{kerasName}: a stateful layer keeps one state per example, so its batch must be static (as Keras's batch_input_shape), got {x.Shape}");
            var names = kind == "gru_cell" ? new[] { "state_h" } : ["state_c", "state_h"];
            kept = InLayerScope(layer, kerasName, () => names.Select(n =>
                GetVariable(n, Shape.Of(x.Shape[0].Size, units), Compiler.IR.DType.Float32, trainable: false, at, () => InitSpec.Zeros).Node).ToArray());
        }
        return Located(at, () =>
        {
            Node result;
            Node[] state;
            if (x.Shape[1].IsStatic)
            {
                var (outputs, final) = Unroll(cell, _g.Apply("transpose", [x], Attrs.Of(("perm", new[] { 1, 0, 2 }))), kept, null, at);
                (result, state) = (returnSequences ? ShapeOps.Stack(_g, outputs, 1) : outputs[outputs.Length - 1], final);
            }
            else
            {
                // Over a symbolic time dim the steps are one loop region (DynamicRnn's); the last output is the final h.
                var (outputs, final) = DynamicLoop(cell, x, kept, null, at);
                (result, state) = (returnSequences ? outputs : final[final.Length - 1], final);
            }
            if (kept is not null)
                for (int i = 0; i < kept.Length; i++) _g.AddEffect(_g.Apply("assign", [kept[i], state[i]]));
            return result;
        });
    }
}
