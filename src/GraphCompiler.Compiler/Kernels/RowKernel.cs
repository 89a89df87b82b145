using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Kernels;

/// <summary>
/// A row kernel: reductions with their prologue and epilogue over a [rows, inner] space, run as passes
/// over each row (see <see cref="RowKernelPlan"/>). Members are element values, row values or
/// reductions (<see cref="RowRole"/>); each pass computes or reloads the element values it needs,
/// folds its reductions and stores what leaves the kernel; row values follow the pass that finishes
/// what they read.
/// </summary>
public sealed class RowKernel : KernelDescription
{
    internal RowKernel(Kernel source, IterationSpace space, IReadOnlyList<KernelOperand> operands, IReadOnlyList<Node> inPlaceOutputs,
        RowKernelPlan plan, IReadOnlyDictionary<Node, KernelStatement> statements, IReadOnlyDictionary<Node, KernelReduction> reductions)
        : base(source, space, operands, inPlaceOutputs)
    {
        Plan = plan;
        Statements = statements;
        Reductions = reductions;
        Passes = Enumerable.Range(0, plan.LastPass + 1).Select(p => new RowPass(
            p,
            plan.Members.Where(m => plan.Computed.TryGetValue(m, out var c) && c.Contains(p)).ToList(),
            plan.StorePass.Where(kv => kv.Value < p && plan.Needed[kv.Key].Contains(p)).Select(kv => kv.Key).OrderBy(n => n.Id).ToList(),
            plan.Members.Where(m => plan.Roles[m] == RowRole.Reduce && plan.Level[m] == p).Select(m => reductions[m]).ToList(),
            plan.Members.Where(m => plan.StorePass.TryGetValue(m, out var s) && s == p).ToList())).ToList();
    }

    internal RowKernelPlan Plan { get; }

    public IReadOnlyList<Node> Members => Plan.Members;

    public RowRole RoleOf(Node member) => Plan.Roles[member];

    /// <summary>The scalar template of each element and row-value member.</summary>
    public IReadOnlyDictionary<Node, KernelStatement> Statements { get; }

    /// <summary>Each reduction member with its fold.</summary>
    public IReadOnlyDictionary<Node, KernelReduction> Reductions { get; }

    /// <summary>The passes over each row, in order.</summary>
    public IReadOnlyList<RowPass> Passes { get; }

    /// <summary>
    /// The row values (and the reductions finished) known before pass <paramref name="pass"/>, in order;
    /// <paramref name="pass"/> = <see cref="Passes"/>.Count gives those after the last pass.
    /// </summary>
    public IReadOnlyList<Node> RowValuesBefore(int pass) =>
        Plan.Members.Where(m => Plan.Roles[m] != RowRole.Element && (Plan.Roles[m] == RowRole.Reduce ? Plan.Level[m] + 1 : Plan.Level[m]) == pass).ToList();

    /// <summary>The first pass a member can be computed in (a reduction: the pass it runs in).</summary>
    public int LevelOf(Node member) => Plan.Level[member];
}

/// <summary>One pass over a row: element values computed and reloaded (stored by an earlier pass), reductions folded, values stored.</summary>
public sealed record RowPass(int Index, IReadOnlyList<Node> Computed, IReadOnlyList<Node> Loaded, IReadOnlyList<KernelReduction> Reductions, IReadOnlyList<Node> Stored);
