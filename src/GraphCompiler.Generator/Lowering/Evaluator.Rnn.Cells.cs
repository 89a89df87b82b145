using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Ops.Composites;
using Microsoft.CodeAnalysis;
using ShapeOps = GraphCompiler.Compiler.Ops.Composites.Shapes;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// TensorFlow's cell equations over graph nodes, and the unrolling of a cell over time. Every leaf
/// cell's kernel is <c>[in + units, k·units]</c> applied to <c>[x, h]</c>; the unrolling splits it into
/// its x rows and its h rows so that the x part of every step is one matrix product over
/// <c>[time, batch, in]</c> (hoisted out of the steps, as fast implementations do) and each step
/// multiplies only <c>h·W_h</c>. A multi-layer cell is unrolled layer by layer, which computes the same
/// values and lets every layer hoist its input projection.
/// </summary>
internal sealed partial class Evaluator
{
    /// <summary>
    /// Unrolls <paramref name="cell"/> over <paramref name="x"/> [time, batch, in] from <paramref name="initial"/>
    /// (zeros when null); past <paramref name="lengths"/> the output is zero and the state carried through.
    /// </summary>
    private (Node[] Outputs, Node[] State) Unroll(RnnCellValue cell, Node x, Node[]? initial, Node? lengths, SyntaxNode at)
    {
        var batch = x.Shape[1];
        if (initial is not null) CheckState(cell, initial, batch, at);
        ForgetMasks(cell);
        return Located(at, () =>
        {
            var state = initial ?? cell.StateUnits.Select(u => ShapeOps.Fill(_g, Shape.Of(batch, Dim.Of(u)), 0, x.DType)).ToArray();
            return UnrollFrom(cell, x, state, lengths);
        });
    }

    private (Node[] Outputs, Node[] State) UnrollFrom(RnnCellValue cell, Node x, Node[] state, Node? lengths)
    {
        int steps = x.Shape[0].Size;
        if (cell.Kind == "multi_rnn_cell")
            return InCellScope(cell, () =>
            {
                var final = new List<Node>();
                Node[] outputs = [];
                int offset = 0;
                for (int i = 0; i < cell.Cells.Length; i++)
                {
                    var child = cell.Cells[i];
                    var childState = state.Skip(offset).Take(child.StateCount).ToArray();
                    offset += child.StateCount;
                    var (o, s) = InLayerScope(cell.CellScopes[i], "cell", () => UnrollFrom(child, x, childState, lengths));
                    final.AddRange(s);
                    outputs = o;
                    if (i + 1 < cell.Cells.Length) x = ShapeOps.Stack(_g, o, 0);
                }
                return (outputs, final.ToArray());
            });
        var results = new Node[steps];
        // A wrapper around a multi-layer cell cannot hoist (its state dropout sits between the layers' steps): step by step.
        var projected = Hoistable(cell) ? ShapeOps.Unstack(_g, Project(cell, x), 0) : null;
        var inputs = projected is null ? ShapeOps.Unstack(_g, x, 0) : null;
        for (int t = 0; t < steps; t++)
        {
            var (output, next) = projected is not null ? Step(cell, projected[t], state, x.Shape[2].Size) : CallCell(cell, inputs![t], state);
            if (lengths is not null)
            {
                using var _ = _g.NameScope("mask");
                var m = Cast.Apply(_g, _g.Apply("less", [_g.Constant(t, Compiler.IR.DType.Int32), lengths]), output.DType);
                m = ShapeOps.ExpandDims(_g, m, 1);
                var kept = _g.Sub(_g.Constant(1, output.DType), m);
                output = _g.Mul(output, m);
                next = next.Select((s, i) => _g.Add(_g.Mul(s, m), _g.Mul(state[i], kept))).ToArray();
            }
            results[t] = output;
            state = next;
        }
        return (results, state);
    }

    private static bool Hoistable(RnnCellValue cell) => cell.IsLeaf || (cell.Kind == "dropout_wrapper" && Hoistable(cell.Cells[0]));

    /// <summary>A new sequence: variational masks are drawn again.</summary>
    private static void ForgetMasks(RnnCellValue cell)
    {
        cell.Masks.Clear();
        foreach (var child in cell.Cells) ForgetMasks(child);
    }

    private T InCellScope<T>(RnnCellValue cell, Func<T> build) => InLayerScope(cell.Scope, cell.ScopeName, build);

    /// <summary>One step from the raw input x [batch, in] (TensorFlow's <c>cell(x, state)</c>).</summary>
    private (Node Output, Node[] State) CallCell(RnnCellValue cell, Node x, Node[] state)
    {
        switch (cell.Kind)
        {
            case "multi_rnn_cell":
                return InCellScope(cell, () =>
                {
                    var final = new List<Node>();
                    int offset = 0;
                    for (int i = 0; i < cell.Cells.Length; i++)
                    {
                        var child = cell.Cells[i];
                        var childState = state.Skip(offset).Take(child.StateCount).ToArray();
                        offset += child.StateCount;
                        var (o, s) = InLayerScope(cell.CellScopes[i], "cell", () => CallCell(child, x, childState));
                        final.AddRange(s);
                        x = o;
                    }
                    return (x, final.ToArray());
                });
            case "dropout_wrapper":
            {
                var (o, s) = CallCell(cell.Cells[0], Drop(cell, "input", x, cell.Rates.Input), state);
                return AfterWrapped(cell, o, s);
            }
            default:
                return Step(cell, Project(cell, x), state, x.Shape[1].Size);
        }
    }

    /// <summary>x·W_x + b for x [..., in]: the part of a step's pre-activations that does not depend on the state.</summary>
    private Node Project(RnnCellValue cell, Node x)
    {
        if (cell.Kind == "dropout_wrapper") return Project(cell.Cells[0], Drop(cell, "input", x, cell.Rates.Input));
        int inputs = x.Shape[x.Shape.Rank - 1].Size;
        return InCellScope(cell, () =>
        {
            var (kernels, biases) = Weights(cell, inputs);
            var rows = kernels.Select(k => ShapeOps.Slice(_g, k, [0, 0], [inputs, -1])).ToArray();
            var wx = rows.Length == 1 ? rows[0] : ShapeOps.Concat(_g, rows, 1);
            var b = biases.Length == 1 ? biases[0] : ShapeOps.Concat(_g, biases, 0);
            return _g.Add(_g.Apply("matmul", [x, wx], MatMul.Flags(false, false)), b);
        });
    }

    /// <summary>
    /// One step from the projected input <paramref name="xw"/> [batch, k·units] of an input of <paramref name="inputs"/> features;
    /// <paramref name="recurrent"/>, when given, are the kernels' h rows (<see cref="RecurrentKernels"/>), else they are sliced here.
    /// </summary>
    private (Node Output, Node[] State) Step(RnnCellValue cell, Node xw, Node[] state, int inputs, Node[]? recurrent = null)
    {
        if (cell.Kind == "dropout_wrapper")
        {
            var (o, s) = Step(cell.Cells[0], xw, state, inputs, recurrent);
            return AfterWrapped(cell, o, s);
        }
        return InCellScope<(Node, Node[])>(cell, () =>
        {
            var kernels = recurrent is null ? Weights(cell, inputs).Kernels : null;
            Node Recurrent(int k, Node h) =>
                _g.Apply("matmul", [h, recurrent?[k] ?? RecurrentRows(cell, kernels![k])], MatMul.Flags(false, false));
            switch (cell.Kind)
            {
                case "basic_rnn_cell":
                {
                    var h = _g.Apply("tanh", [_g.Add(xw, Recurrent(0, state[0]))]);
                    return (h, [h]);
                }
                case "basic_lstm_cell":
                {
                    var (c, h) = (state[0], state[1]);
                    var gates = ShapeOps.Split(_g, _g.Add(xw, Recurrent(0, h)), 4, 1);
                    var (i, j, f, o) = (gates[0], gates[1], gates[2], gates[3]);
                    var forget = cell.ForgetBias == 0 ? f : _g.Add(f, _g.Constant(cell.ForgetBias, f.DType));
                    var newC = _g.Add(_g.Mul(c, Sigmoid(forget)), _g.Mul(Sigmoid(i), _g.Apply("tanh", [j])));
                    var newH = _g.Mul(_g.Apply("tanh", [newC]), Sigmoid(o));
                    return (newH, [newC, newH]);
                }
                default: // gru_cell
                {
                    var h = state[0];
                    var parts = ShapeOps.Split(_g, xw, [2 * cell.Units, cell.Units], 1);
                    var value = ShapeOps.Split(_g, Sigmoid(_g.Add(parts[0], Recurrent(0, h))), 2, 1);
                    var (r, u) = (value[0], value[1]);
                    var candidate = _g.Apply("tanh", [_g.Add(parts[1], Recurrent(1, _g.Mul(r, h)))]);
                    var newH = _g.Add(_g.Mul(u, h), _g.Mul(_g.Sub(_g.Constant(1, u.DType), u), candidate));
                    return (newH, [newH]);
                }
            }
        });
    }

    private Node Sigmoid(Node x) => _g.Apply("sigmoid", [x]);

    /// <summary>
    /// The h rows of each kernel of the (wrapped) leaf cell, built on the current graph: built outside a loop,
    /// the body reads them as invariants instead of slicing the kernel at every step, forward and backward.
    /// </summary>
    private Node[] RecurrentKernels(RnnCellValue cell, int inputs) =>
        cell.Kind == "dropout_wrapper"
            ? RecurrentKernels(cell.Cells[0], inputs)
            : InCellScope(cell, () => Weights(cell, inputs).Kernels.Select(k => RecurrentRows(cell, k)).ToArray());

    private Node RecurrentRows(RnnCellValue cell, Node k) => ShapeOps.Slice(_g, k, [k.Shape[0].Size - cell.Units, 0], [cell.Units, -1]);

    /// <summary>
    /// The leaf cell's kernels and biases, created in its scope on first use: TensorFlow's names,
    /// Glorot-uniform kernels (<c>get_variable</c>'s default), zero biases but the GRU gates' (ones).
    /// </summary>
    private (Node[] Kernels, Node[] Biases) Weights(RnnCellValue cell, int inputs)
    {
        int rows = inputs + cell.Units;
        Node Kernel(int columns) => LayerVariable("kernel", Shape.Of(rows, columns), "glorot_uniform", 0, 0, cell.At);
        Node Bias(int columns, string init) => LayerVariable("bias", Shape.Of(columns), init, 0, 0, cell.At);
        switch (cell.Kind)
        {
            case "basic_rnn_cell":
                return ([Kernel(cell.Units)], [Bias(cell.Units, "zeros")]);
            case "basic_lstm_cell":
                return ([Kernel(4 * cell.Units)], [Bias(4 * cell.Units, "zeros")]);
            default:
            {
                var (gk, gb) = InLayerScope(cell.CellScopes[0], "gates", () => (Kernel(2 * cell.Units), Bias(2 * cell.Units, "ones")));
                var (ck, cb) = InLayerScope(cell.CellScopes[1], "candidate", () => (Kernel(cell.Units), Bias(cell.Units, "zeros")));
                return ([gk, ck], [gb, cb]);
            }
        }
    }

    /// <summary>A wrapper's state dropout (not on an LSTM's memory c, as TensorFlow's default filter) and output dropout.</summary>
    private (Node Output, Node[] State) AfterWrapped(RnnCellValue wrapper, Node output, Node[] state)
    {
        var memory = wrapper.StateIsMemory.ToArray();
        var dropped = state.Select((s, i) => memory[i] ? s : Drop(wrapper, "state" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), s, wrapper.Rates.State)).ToArray();
        return (Drop(wrapper, "output", output, wrapper.Rates.Output), dropped);
    }

    /// <summary>
    /// Dropout at <paramref name="rate"/> on x (whose last two axes are [batch, n]): a fresh draw each
    /// time, or, for a variational wrapper, x times a [batch, n] mask drawn once per sequence.
    /// </summary>
    private Node Drop(RnnCellValue wrapper, string key, Node x, double rate)
    {
        if (rate == 0) return x;
        long? seed = wrapper.Seed is { } s ? s + wrapper.Drawn++ : null;
        if (!wrapper.Variational) return MathComposites.Dropout(_g, x, rate, seed);
        // DynamicRnn's input [batch, time, n] is batch-major: its per-example mask spans axes 0 and 2.
        bool batchMajor = _batchMajorInput && x.Shape.Rank == 3;
        var (rows, width) = batchMajor ? (x.Shape[0], x.Shape[2]) : (x.Shape[x.Shape.Rank - 2], x.Shape[x.Shape.Rank - 1]);
        if (!wrapper.Masks.TryGetValue(key, out var mask))
        {
            // Inside a loop region the mask is drawn outside it, once, and the body reads it as an invariant.
            var inner = _g;
            _g = _outsideLoop ?? _g;
            try
            {
                var ones = ShapeOps.Fill(_g, Shape.Of(rows, width), 1, x.DType);
                mask = MathComposites.Dropout(_g, ones, rate, seed);
            }
            finally
            {
                _g = inner;
            }
            wrapper.Masks[key] = mask;
        }
        else if (seed is not null) wrapper.Drawn--;
        return _g.Mul(x, batchMajor ? ShapeOps.ExpandDims(_g, mask, 1) : mask);
    }
}
