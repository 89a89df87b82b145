using GraphCompiler.Compiler.Backends.Ilgpu;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Passes;

namespace GraphCompiler.Compiler.Emit;

/// <summary>
/// Loop regions on the device: a host loop over the run-time length that launches the body's device kernels
/// once per step, every operand a view into the device memory, so no value crosses to the host while it runs.
/// The carried states are double-buffered in one region each (step s reads half s mod 2 and writes the other),
/// a sequence's step is read in place (one row) or gathered into a step buffer, per-step outputs (the saved
/// activations of the gradient's forward loop among them) are written into their stacked results at step t,
/// and a reverse loop runs t = time − 1 … 0. The body's arena and these buffers are regions of the entry's
/// binding placed after the entry's own (<c>DeviceLoopRegions.Append</c>). At length 0 no step runs: the
/// final states are the initial ones and the stacked outputs are empty.
/// </summary>
internal sealed partial class DeviceEntryEmitter
{
    private int _loopCount;

    /// <summary>The state class's lines that plan each loop's regions (after the entry's own).</summary>
    private readonly List<string> _loopRegions = new();

    private List<string> LaunchLoop(LoopCall loop, DeviceCall outer)
    {
        var op = loop.Op;
        var node = loop.Node;
        var body = loop.Body;
        if (body.Descriptions.OfType<LoopCall>().FirstOrDefault() is { } nested)
            throw new NotSupportedException($"the loop region {nested.Node.Name} inside the body of {node.Name} runs on the host only so far (nested loops have no device rendering)");
        if (body.Memory.Sinks.Count > 0)
            throw new NotSupportedException($"the body of the loop region {node.Name} writes a variable, which a loop body cannot do on the device");
        string local = "loop" + _loopCount++;
        string prefix = $"{_method}/{local}";
        int states = op.States, sequences = op.Sequences;
        string L(string what) => local + what;

        var ports = new Dictionary<string, string>(StringComparer.Ordinal);
        var extra = new List<(DType DType, string Region, string Length)>();
        var lines = new List<string> { $"// {node.Name} → {string.Join(", ", loop.Outputs.Select(o => o.Name))}", "{" };
        var setup = new List<string> { $"int {L("Time")} = {DimExpr(node.Inputs[states].Shape[1])};" };
        var step = new List<string> { $"int {L("T")} = {(op.Reverse ? $"{L("Time")} - 1 - {L("S")}" : L("S"))};" };
        for (int i = 0; i < states; i++)
        {
            var initial = node.Inputs[i];
            var carry = Region(prefix + "/carry" + i, L("Carry" + i), initial.DType);
            extra.Add((initial.DType, prefix + "/carry" + i, $"2 * ({Count(initial.Shape)})"));
            var size = L("Size" + i);
            setup.Add($"int {size} = {Count(initial.Shape)};");
            setup.Add($"GraphCompiler.Runtime.Devices.DeviceLibrary.Copy({outer.View(initial)}, {carry}.SubView(0, {size}));");
            step.Add($"var {L("State" + i)} = {carry}.SubView(({L("S")} & 1) * {size}, {size});");
            step.Add($"var {L("Next" + i)} = {carry}.SubView((({L("S")} & 1) ^ 1) * {size}, {size});");
            ports[LoopOp.StatePort(i)] = L("State" + i);
        }
        for (int j = 0; j < sequences; j++)
        {
            var seq = node.Inputs[states + j];
            var buffer = Region(prefix + "/step" + j, L("StepBuffer" + j), seq.DType);
            extra.Add((seq.DType, prefix + "/step" + j, Count(LoopOp.StepShape(seq.Shape))));
            step.Add($"var {L("Seq" + j)} = program.Context.Library.SequenceStep({outer.View(seq)}, {buffer}, {DimExpr(seq.Shape[0])}, {L("Time")}, {Count(new Shape(seq.Shape.Skip(2)))}, {L("T")});");
            ports[LoopOp.SequencePort(j)] = L("Seq" + j);
        }
        for (int k = 0; k < op.Invariants; k++)
            ports[LoopOp.InvariantPort(k)] = outer.View(node.Inputs[states + sequences + k]);

        var call = new DeviceCall(n => BodyView(n, body.Memory, ports, prefix, local), DimExpr, Count, outer.Program, outer.Training);
        foreach (var k in body.Descriptions) step.AddRange(Launch(k, call));
        foreach (var o in loop.Outputs.Where(o => o.Attrs.GetInt("index") >= states))
        {
            var value = body.Graph.Output(LoopOp.OutputPort(o.Attrs.GetInt("index") - states));
            step.Add($"program.Context.Library.StackStep({call.View(value)}, {outer.View(o)}, {DimExpr(value.Shape[0])}, {L("Time")}, {Count(new Shape(value.Shape.Skip(1)))}, {L("T")});");
        }
        for (int i = 0; i < states; i++)
            step.Add($"GraphCompiler.Runtime.Devices.DeviceLibrary.Copy({call.View(body.Graph.Output(LoopOp.StatePort(i)))}, {L("Next" + i)});");

        lines.AddRange(setup.Select(l => "    " + l));
        lines.Add($"    for (int {L("S")} = 0; {L("S")} < {L("Time")}; {L("S")}++)");
        lines.Add("    {");
        lines.AddRange(step.Select(l => "        " + l));
        lines.Add("    }");
        for (int i = 0; i < states; i++)
            if (loop.Result(i) is { } final)
                lines.Add($"    GraphCompiler.Runtime.Devices.DeviceLibrary.Copy({View(prefix + "/carry" + i, final.DType)}.SubView(({L("Time")} & 1) * {L("Size" + i)}, {L("Size" + i)}), {outer.View(final)});");
        lines.Add("}");
        PlanLoopRegions(body.Memory, prefix, extra);
        return lines;
    }

    /// <summary>The view of a body value: a port's step view, a body constant, or a slot of the body's arena.</summary>
    private string BodyView(Node n, MemoryPlan memory, Dictionary<string, string> ports, string prefix, string local)
    {
        switch (n.OpName)
        {
            case "input":
                return ports[n.Attrs.GetString("name")];
            case "constant":
            {
                var region = $"{prefix}/const{n.Id}";
                if (!_regions.ContainsKey(region)) Constants.Add((region, ConstantField(n, $"{_method}{CSharpNames.Pascal(local)}DeviceConst{n.Id}")));
                return Region(region, n.Name, n.DType);
            }
            case "variable":
                throw new NotSupportedException($"a loop body reads the variable {n.Name} directly; loop bodies read variables through their invariants");
        }
        var buffer = memory.BufferOf[n];
        return Region($"{prefix}/b{buffer.Index}", buffer.Name, n.DType);
    }

    /// <summary>The state's view of <paramref name="region"/>, its field named after <paramref name="what"/>.</summary>
    private string Region(string region, string what, DType dtype)
    {
        _fieldNames[region] = what;
        return View(region, dtype);
    }

    /// <summary>The state's <c>Bind</c> lines that plan the loops' regions, after the entry's own.</summary>
    private IEnumerable<string> LoopRegionLines() =>
        _loopRegions.Count == 0 ? _loopRegions : _loopRegions.Prepend("int entryRegions = regions.Count;");

    /// <summary>The line of the state's <c>Bind</c> per dtype that appends the loop's body arena, carries and step buffers to the entry's regions.</summary>
    private void PlanLoopRegions(MemoryPlan memory, string prefix, List<(DType DType, string Region, string Length)> extra)
    {
        foreach (var dt in memory.Arenas.Concat(extra.Select(e => e.DType)).Distinct())
        {
            var bufs = memory.InArena(dt);
            var more = extra.Where(e => e.DType == dt).Select(e => $", ({Str(e.Region)}, {e.Length})");
            _loopRegions.Add($"GraphCompiler.Runtime.Devices.DeviceLoopRegions.Append(regions, entryRegions, GraphCompiler.DType.{dt}, "
                + $"new string[] {{ {string.Join(", ", bufs.Select(b => Str($"{prefix}/b{b.Index}")))} }}, new int[] {{ {string.Join(", ", bufs.Select(b => Count(b.Shape)))} }}, "
                + $"new int[] {{ {string.Join(", ", bufs.Select(b => b.FirstUse))} }}, new int[] {{ {string.Join(", ", bufs.Select(b => b.LastUse))} }}{string.Concat(more)});");
        }
    }
}
