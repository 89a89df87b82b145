using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Kernels;

/// <summary>
/// The passes of a row kernel over each row, in dependency order. A reduction is a pass over the
/// row; its value (and the row values computed from it) is known from the next pass on. An element
/// value is computed in every pass that needs it: recomputed from the kernel's inputs when it is
/// not stored, loaded back from its output row when it is (stored in the first pass that needs it).
/// Recomputing costs a few arithmetic operations per element where keeping the value would cost a
/// scratch row per core and a store and load per element; the row is in L1 either way, and values
/// that leave the kernel are stored anyway, so those are the ones read back.
/// </summary>
internal sealed class RowKernelPlan
{
    public RowKernelPlan(Kernel k)
    {
        Space = k.RowSpace ?? throw new InvalidOperationException($"{k.MethodName} is not a row kernel");
        Roles = RowFusion.Roles(k.Members, Space) ?? throw new InvalidOperationException($"{k.MethodName} does not fit its row space {Space}");
        Members = k.Members;
        Outputs = k.Outputs;
        var outputs = new HashSet<Node>(k.Outputs);
        // Level: the pass from which a value can be computed (for a reduction: the pass it runs in).
        foreach (var m in Members)
            Level[m] = RowFusion.ReadInputs(m).Where(Roles.ContainsKey).Select(i => Level[i] + (Roles[i] == RowRole.Reduce ? 1 : 0)).DefaultIfEmpty(0).Max();
        LastPass = Members.Where(m => Roles[m] == RowRole.Reduce || (Roles[m] == RowRole.Element && outputs.Contains(m))).Select(m => Level[m]).DefaultIfEmpty(0).Max();
        var readers = Members.ToDictionary(m => m, _ => new List<Node>());
        foreach (var m in Members)
            foreach (var i in RowFusion.ReadInputs(m).Distinct())
                if (Roles.ContainsKey(i)) readers[i].Add(m);
        // Where element values are needed and computed, from the last member back.
        for (int idx = Members.Count - 1; idx >= 0; idx--)
        {
            var m = Members[idx];
            if (Roles[m] != RowRole.Element) continue;
            var need = new SortedSet<int>();
            foreach (var c in readers[m])
            {
                if (Roles[c] == RowRole.Reduce) need.Add(Level[c]);
                else if (Roles[c] == RowRole.Element) need.UnionWith(Computed[c]);
            }
            Needed[m] = need;
            if (outputs.Contains(m))
            {
                StorePass[m] = need.Count > 0 ? need.Min : LastPass;
                Computed[m] = new SortedSet<int> { StorePass[m] };
            }
            else Computed[m] = need;
        }
    }

    /// <summary>The [rows..., inner] iteration space.</summary>
    public Shape Space { get; }

    public IReadOnlyList<Node> Members { get; }

    public IReadOnlyList<Node> Outputs { get; }

    public Dictionary<Node, RowRole> Roles { get; }

    /// <summary>Per member: the first pass it can be computed in (a reduction: the pass it runs in).</summary>
    public Dictionary<Node, int> Level { get; } = new();

    /// <summary>Per element member: the passes that read it.</summary>
    public Dictionary<Node, SortedSet<int>> Needed { get; } = new();

    /// <summary>Per element member: the passes that compute it.</summary>
    public Dictionary<Node, SortedSet<int>> Computed { get; } = new();

    /// <summary>Per element output: the pass that stores it (later passes load it back).</summary>
    public Dictionary<Node, int> StorePass { get; } = new();

    /// <summary>The last pass over each row (passes are 0..LastPass).</summary>
    public int LastPass { get; }

    /// <summary>
    /// True when <paramref name="output"/> is an element output stored in the last pass: only such an
    /// output may take an input's storage, since no later pass reads that input again.
    /// </summary>
    public bool StoresInLastPass(Node output) => StorePass.TryGetValue(output, out var p) && p == LastPass;
}
