using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Model;
using GraphCompiler.Compiler.Passes;

namespace GraphCompiler.Compiler.Emit;

/// <summary>
/// Loop regions on the CPU: each <see cref="LoopCall"/> becomes a private method of the model that runs the
/// body's kernels once per time step. The body is emitted by an emitter of its own over the body's compiled
/// program (its own arena and plan, bound like an entry point's), whose inputs read the step's ports: the
/// carried states (double-buffered, so a body that reads one state while writing another sees the old
/// values), the step's slice of each sequence (rows of the <c>[batch, time, ...]</c> input, read in place
/// when the batch is one row and gathered into a step buffer otherwise) and the invariants as they are.
/// Per-step outputs are written into their stacked <c>[batch, time, ...]</c> results at step t; the saved
/// activations of the gradient's forward loop are such outputs, so their storage grows with time.
/// </summary>
internal sealed partial class EntryEmitter
{
    /// <summary>For a loop body's emitter: the C# that reads each body input (by port name) at the current step.</summary>
    private Dictionary<string, string>? _ports;

    private int _loopCount;

    /// <summary>The lines that bind the entry's state to the current dims and take its arenas into locals.</summary>
    private IEnumerable<string> StateLines(List<string> symbols)
    {
        yield return $"var st = _{Camel(_method)} ??= new {State}();";
        yield return symbols.Count == 0 ? "if (!st.Bound) st.Bind();" : $"if (!st.Bound || {string.Join(" || ", symbols.Select(s => $"st.{Dim(s)} != {Dim(s)}"))}) st.Bind({string.Join(", ", symbols.Select(Dim))});";
        foreach (var dt in _memory.Arenas) yield return $"var {Arena(dt)} = st.{ArenaField(dt)};";
    }

    /// <summary>Calls the loop's method (emitting it and its state among the members).</summary>
    private void EmitLoopCall(LoopCall call, List<string> body)
    {
        var name = $"{_method}Loop{_loopCount++}";
        var loop = call.Node;
        var symbols = loop.Inputs.Concat(call.Outputs).Concat(call.Body.Graph.Nodes).SelectMany(n => n.Shape.Symbols).Distinct().ToList();
        var step = new EntryEmitter(name, _isTrain, Array.Empty<ModelParameter>(), call.Body, _variableField, _catalog, _optimizer, _hyperDims);
        _members.AddRange(step.LoopMethod(call, symbols, _method));
        var args = symbols.Select(Dim).Concat(loop.Inputs.Select(Read)).Concat(call.Outputs.Select(Write));
        body.Add($"// {loop.Name} → {string.Join(", ", call.Outputs.Select(o => o.Name))}");
        body.Add($"{name}({string.Join(", ", args)});");
    }

    /// <summary>The loop's method, its state class and its buffers' fields; this emitter holds the body's program.</summary>
    private IEnumerable<string> LoopMethod(LoopCall call, List<string> symbols, string entry)
    {
        var op = call.Op;
        var loop = call.Node;
        int states = op.States, sequences = op.Sequences;
        string T(Node n) => n.DType.CSharpName();
        string Buffer(string what, Node n)
        {
            var field = $"_{Camel(_method)}{what}";
            _members.Add($"private {T(n)}[] {field} = System.Array.Empty<{T(n)}>();");
            return field;
        }
        var parameters = symbols.Select(s => "int " + Dim(s)).ToList();
        _ports = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < loop.Inputs.Count; i++)
        {
            var (port, parameter) = i < states ? (LoopOp.StatePort(i), "initial" + i)
                : i < states + sequences ? (LoopOp.SequencePort(i - states), "sequence" + (i - states))
                : (LoopOp.InvariantPort(i - states - sequences), "invariant" + (i - states - sequences));
            parameters.Add($"ReadOnlySpan<{T(loop.Inputs[i])}> {parameter}");
            _ports[port] = i < states + sequences ? port : parameter;
        }
        parameters.AddRange(call.Outputs.Select(o => $"Span<{T(o)}> {ResultName(op, o)}"));

        var time = DimExpr(loop.Inputs[states].Shape[1]);
        var lines = new List<string>(StateLines(symbols)) { $"int time = {time};" };
        for (int i = 0; i < states; i++)
        {
            var initial = loop.Inputs[i];
            lines.Add($"int size{i} = {Count(initial.Shape)};");
            var carry = Buffer("Carry" + i, initial);
            lines.Add($"if ({carry}.Length < 2 * size{i}) {carry} = new {T(initial)}[2 * size{i}];");
            lines.Add($"var carry{i} = {carry};");
            lines.Add($"initial{i}.CopyTo(carry{i});");
        }
        for (int j = 0; j < sequences; j++)
        {
            var seq = loop.Inputs[states + j];
            lines.Add($"int rows{j} = {DimExpr(seq.Shape[0])}, inner{j} = {Count(new Shape(seq.Shape.Skip(2)))};");
            var stepBuffer = Buffer("Step" + j, seq);
            lines.Add($"if ({stepBuffer}.Length < rows{j} * inner{j}) {stepBuffer} = new {T(seq)}[rows{j} * inner{j}];");
            lines.Add($"var step{j} = {stepBuffer};");
        }
        lines.Add("for (int s = 0; s < time; s++)");
        lines.Add("{");
        var inner = new List<string> { op.Reverse ? "int t = time - 1 - s;" : "int t = s;" };
        for (int i = 0; i < states; i++)
        {
            inner.Add($"var state{i} = new ReadOnlySpan<{T(loop.Inputs[i])}>(carry{i}, (s & 1) * size{i}, size{i});");
            inner.Add($"var next{i} = new Span<{T(loop.Inputs[i])}>(carry{i}, ((s & 1) ^ 1) * size{i}, size{i});");
        }
        for (int j = 0; j < sequences; j++)
        {
            var rows = loop.Inputs[states + j].Shape[0];
            var slice = $"seq{j} = sequence{j}.Slice(t * inner{j}, inner{j});";
            var gather = new[]
            {
                $"for (int b = 0; b < rows{j}; b++) sequence{j}.Slice((b * time + t) * inner{j}, inner{j}).CopyTo(step{j}.AsSpan(b * inner{j}, inner{j}));",
                $"seq{j} = new ReadOnlySpan<{T(loop.Inputs[states + j])}>(step{j}, 0, rows{j} * inner{j});",
            };
            inner.Add($"ReadOnlySpan<{T(loop.Inputs[states + j])}> seq{j};");
            // One row of the batch is contiguous over time: the step is read in place. (A static row count picks its branch here, so no dead code is emitted.)
            if (rows.IsStatic && rows.Size == 1) inner.Add(slice);
            else if (rows.IsStatic) inner.AddRange(gather);
            else
            {
                inner.Add($"if (rows{j} == 1) {slice}");
                inner.Add("else");
                inner.Add("{");
                inner.AddRange(gather.Select(l => "    " + l));
                inner.Add("}");
            }
        }
        foreach (var k in _kernels) EmitKernelCall(k, inner);
        // Stacked outputs first: an output may be a state port, which the state copies below must not have changed yet.
        foreach (var o in call.Outputs.Where(o => o.Attrs.GetInt("index") >= states))
        {
            int j = o.Attrs.GetInt("index") - states;
            var value = call.Body.Graph.Output(LoopOp.OutputPort(j));
            var rows = DimExpr(value.Shape[0]);
            var width = Count(new Shape(value.Shape.Skip(1)));
            inner.Add($"for (int b = 0; b < {rows}; b++) {Read(value)}.Slice(b * {width}, {width}).CopyTo({ResultName(op, o)}.Slice((b * time + t) * {width}, {width}));");
        }
        for (int i = 0; i < states; i++) inner.Add($"{Read(call.Body.Graph.Output(LoopOp.StatePort(i)))}.CopyTo(next{i});");
        lines.AddRange(inner.Select(l => "    " + l));
        lines.Add("}");
        for (int i = 0; i < states; i++)
            if (call.Result(i) is { } final)
                lines.Add($"new ReadOnlySpan<{T(final)}>(carry{i}, (time & 1) * size{i}, size{i}).CopyTo({ResultName(op, final)});");

        var method = new List<string>
        {
            $"/// <summary>The loop region <c>{loop.Name}</c> of <c>{entry}</c>: its body once per step t = {(op.Reverse ? "time − 1 … 0" : "0 … time − 1")}, the states carried from step to step.</summary>",
            $"private void {_method}({string.Join(", ", parameters)})",
            "{",
        };
        method.AddRange(lines.Select(l => "    " + l));
        method.Add("}");
        _members.Add(string.Join("\n", method));
        _members.Add($"private {State}? _{Camel(_method)};");
        _members.Add(EmitState(symbols));
        return _members;
    }

    /// <summary>The loop method's parameter for a stored result: <c>final{i}</c> for a state, <c>stacked{j}</c> for a per-step output.</summary>
    private static string ResultName(LoopOp op, Node projection)
    {
        int index = projection.Attrs.GetInt("index");
        return index < op.States ? "final" + index : "stacked" + (index - op.States);
    }
}
