using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Passes;

/// <summary>
/// The memory plan of one entry point (<see cref="MemoryPlan"/>): sinks, liveness of every stored
/// value, in-place reuse and one buffer per remaining output.
/// </summary>
public static class PlanMemoryPass
{
    public static MemoryPlan Run(Graph graph, IReadOnlyList<KernelDescription> kernels)
    {
        var outputs = new HashSet<Node>(graph.Outputs.Select(o => o.Node));
        var sinks = Sinks(graph, kernels, outputs);
        // Liveness: graph outputs and the values effects store are read after every kernel.
        var firstUse = new Dictionary<Node, int>();
        var lastUse = new Dictionary<Node, int>();
        for (int k = 0; k < kernels.Count; k++) foreach (var o in kernels[k].Outputs) firstUse[o] = lastUse[o] = k;
        for (int k = 0; k < kernels.Count; k++) foreach (var i in kernels[k].Operands) if (lastUse.ContainsKey(i.Storage)) lastUse[i.Storage] = k;
        foreach (var v in outputs.Concat(graph.Effects.SelectMany(e => e.Inputs.Skip(1)))) if (lastUse.ContainsKey(v)) lastUse[v] = kernels.Count;

        var buffers = new List<ArenaBuffer>();
        var bufferOf = new Dictionary<Node, int>();
        var bufferLast = new List<int>(); // per buffer: the last use of any value stored in it
        for (int k = 0; k < kernels.Count; k++)
        {
            var d = kernels[k];
            var reused = new HashSet<int>();
            foreach (var o in d.Outputs)
            {
                if (sinks.ContainsKey(o)) continue;
                if (!outputs.Contains(o) && d.InPlaceOutputs.Contains(o) && InPlaceInput(d, k, o, bufferOf, bufferLast, lastUse, reused) is { } slot)
                {
                    bufferOf[o] = slot;
                    bufferLast[slot] = Math.Max(bufferLast[slot], lastUse[o]);
                    reused.Add(slot);
                    continue;
                }
                bufferOf[o] = buffers.Count;
                buffers.Add(new ArenaBuffer(buffers.Count, o, firstUse[o], 0));
                bufferLast.Add(lastUse[o]);
            }
        }
        // A buffer lives until the last read of any value stored in it (in-place outputs share their input's).
        var slotNames = new HashSet<string>(StringComparer.Ordinal);
        var final = buffers.Select(b => b with { LastUse = bufferLast[b.Index], Name = SlotName(b.Value, slotNames) }).ToList();
        // Kernels name the values they store for a variable after it (newVariable, newVariableAdam).
        var assigned = graph.Effects.Where(e => e.Op is Assign).GroupBy(e => e.Inputs[1]).ToDictionary(g => g.Key, g => Assign.Target(g.First()));
        foreach (var d in kernels) d.Names = KernelNames.For(d, n => assigned.TryGetValue(n, out var v) ? v : null);
        var variables = graph.Nodes.Where(n => n.OpName == "variable").Select(n => n.Attrs.GetString("name"))
            .Concat(graph.Effects.Select(Assign.Target)).Distinct().ToList();
        return new MemoryPlan(final, bufferOf.ToDictionary(kv => kv.Key, kv => final[kv.Value]), sinks, variables);
    }

    /// <summary>A buffer's identifier: its first value's name (<c>h1MatmulGradMatmul1</c>), unique in the plan.</summary>
    private static string SlotName(Node value, HashSet<string> used)
    {
        var id = KernelNames.ValueIdentifier(value.Name);
        return CSharpNames.Unique(CSharpNames.IsKeyword(id) ? id + "Value" : id, used);
    }

    /// <summary>
    /// Outputs of deferred kernels (the optimizer's updates) that only an assign stores: the kernel writes
    /// them straight into the variable, which every other kernel has read by then.
    /// </summary>
    private static Dictionary<Node, string> Sinks(Graph graph, IReadOnlyList<KernelDescription> kernels, HashSet<Node> outputs)
    {
        var sinks = new Dictionary<Node, string>();
        var consumers = graph.Consumers();
        foreach (var d in kernels.Where(d => d.Source.Deferred))
            foreach (var o in d.Outputs)
            {
                var outside = consumers[o].Where(c => !d.Source.Members.Contains(c)).ToList();
                if (!outputs.Contains(o) && outside.Count == 1 && Fusion.IsSinkAssign(o)(outside[0]))
                    sinks[o] = Assign.Target(outside[0]);
            }
        return sinks;
    }

    /// <summary>
    /// In-place reuse: an output the kernel allows to (<see cref="KernelDescription.InPlaceOutputs"/>)
    /// takes the buffer of a same-shaped, same-dtype operand that this kernel reads last. The kernel reads
    /// each element of its inputs before it writes that element of its outputs, at the same offset, so no
    /// element is overwritten before it is read. Never for graph outputs (their value must survive the
    /// step) or values the effects read after all kernels.
    /// </summary>
    private static int? InPlaceInput(KernelDescription d, int k, Node output, Dictionary<Node, int> bufferOf, List<int> bufferLast, Dictionary<Node, int> lastUse, HashSet<int> reused)
    {
        foreach (var operand in d.Operands)
        {
            var input = operand.Value;
            if (!bufferOf.TryGetValue(input, out var slot) || reused.Contains(slot)) continue;
            if (input.DType != output.DType || !input.Shape.Equals(output.Shape)) continue;
            // This kernel must be the last reader of every value the slot holds (a chain of in-place
            // kernels shares one slot); values read after all kernels never qualify.
            if (lastUse[input] != k || bufferLast[slot] > k) continue;
            return slot;
        }
        return null;
    }
}
