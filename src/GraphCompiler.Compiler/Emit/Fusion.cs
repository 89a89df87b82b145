using GraphCompiler.Compiler.Backends.Cpu;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Emit;

/// <summary>One kernel of the schedule: a fused elementwise group, or one library op.</summary>
public sealed class Kernel
{
    internal Kernel(int index, IReadOnlyList<Node> members, IReadOnlyList<Node> outputs, bool fused, bool deferred, bool biasGradient = false, Shape? rowSpace = null, bool attention = false, AttentionGradient? attentionGradient = null)
    {
        IsAttention = attention;
        AttentionGradient = attentionGradient;
        RowSpace = rowSpace;
        Index = index;
        IsBiasGradient = biasGradient;
        Deferred = deferred;
        Members = members;
        Outputs = outputs;
        IsFused = fused;
        var memberSet = new HashSet<Node>(members);
        Inputs = members.SelectMany(RowFusion.ReadInputs).Where(i => !memberSet.Contains(i)).Distinct().ToList();
    }

    public int Index { get; }

    /// <summary>
    /// A dense layer fused into its GEMM: members [matmul, bias add, (relu)], computed by one
    /// GEMM call that adds the bias and applies the relu before storing C.
    /// </summary>
    public bool IsDenseLayer => !IsFused && Members.Count > 1 && !IsBiasGradient && !IsAttention && AttentionGradient is null;

    /// <summary>An attention chain the back end runs as one fused kernel (<see cref="AttentionChain"/>).</summary>
    public bool IsAttention { get; }

    /// <summary>Autodiff's gradient of a fused attention, run as the fused backward (<see cref="Kernels.AttentionGradient"/>); null for other kernels.</summary>
    public AttentionGradient? AttentionGradient { get; }

    /// <summary>
    /// A dense layer's weight and bias gradients in one GEMM: members [matmul, column sum], where the
    /// column sum (sum_to_like or reduce_sum over axis 0) reads the matmul's b operand — dY in
    /// dW = Xᵀ·dY — and the GEMM sums b's columns while it packs or reads b, so dY is read once.
    /// Both members are outputs.
    /// </summary>
    public bool IsBiasGradient { get; }

    /// <summary>The nodes computed by this kernel, in topological order.</summary>
    public IReadOnlyList<Node> Members { get; }

    /// <summary>Members whose values leave the kernel (written to buffers or variables).</summary>
    public IReadOnlyList<Node> Outputs { get; }

    /// <summary>Values read from outside the kernel (not the inputs whose shape alone is used).</summary>
    public IReadOnlyList<Node> Inputs { get; }

    public bool IsFused { get; }

    /// <summary>Scheduled after every other kernel: its outputs only feed assigns, which it performs in place.</summary>
    public bool Deferred { get; }

    /// <summary>
    /// A last-axis reduce_sum fused as the kernel's tail (the reduction with its elementwise
    /// prologue): the kernel accumulates each row instead of storing the reduced value.
    /// </summary>
    public Node? Reduction => IsFused && RowSpace is null ? Members.FirstOrDefault(m => m.Op is ReduceSum) : null;

    /// <summary>
    /// A row kernel (<see cref="RowFusion"/>): the [rows, inner] space its members live over, reductions
    /// to one value per row and their epilogue included; null for other kernels.
    /// </summary>
    public Shape? RowSpace { get; }

    /// <summary>The element shape a fused kernel iterates over (for a reduction tail, its input's; for a row kernel, its row space).</summary>
    /// <remarks>A concat member is a store into column windows (<see cref="Fusion.ColumnStores"/>) and does not set the space.</remarks>
    public Shape Shape => RowSpace ?? (Reduction is { } r ? r.Inputs[0].Shape : Members.Last(m => m.Op is not Concat).Shape);

    /// <summary>A readable method name after the ops it fuses: <c>K2_mul_add_sub</c>.</summary>
    public string MethodName => $"K{Index}_" + string.Join("_", Members.Where(m => m.Op is not Ops.Constant).Select(m => m.OpName).Distinct().Take(6));
}

/// <summary>
/// Groups nodes into kernels. Elementwise nodes of the same shape are fused into the kernel of
/// their consumers when that creates no cycle; a fused value also needed outside its kernel is
/// written out as an extra output. Splat constants are folded into the kernel as literals. Last-axis
/// reductions then join the elementwise work before and after them over the same rows as row kernels
/// (<see cref="RowFusion"/>). Other ops are one kernel each, except what the back end's
/// <see cref="BackendCapabilities"/> fuse into a GEMM. Assigns whose value is computed by a fused
/// kernel write in place.
/// </summary>
public static partial class Fusion
{
    /// <summary>The kernels of <paramref name="g"/> in schedule order, for a back end with <paramref name="capabilities"/> (the CPU's by default).</summary>
    public static IReadOnlyList<Kernel> Plan(Graph g, BackendCapabilities? capabilities = null)
    {
        var can = capabilities ?? CpuCapabilities.Instance;
        var consumers = g.Consumers();
        var readers = g.Nodes.ToDictionary(n => n, _ => new List<Node>()); // the consumers that read the value, not just its shape
        foreach (var n in g.Nodes)
            foreach (var i in RowFusion.ReadInputs(n).Distinct())
                readers[i].Add(n);
        var outputs = new HashSet<Node>(g.Outputs.Select(o => o.Node));
        var group = new Dictionary<Node, int>();
        var groups = new List<List<Node>>();
        var denseLayers = DenseLayers(g, consumers, outputs, can);
        FuseConvolutionEpilogues(g, denseLayers, consumers, outputs, can);
        var inDenseLayer = new HashSet<Node>(denseLayers.SelectMany(d => d));
        var (attention, attentionGradients) = AttentionKernels(g, readers, outputs, inDenseLayer, can); // their members join the set: no other kernel takes them

        var storeGroups = ColumnStoreGroups(g, groups);
        foreach (var n in g.Nodes.Reverse())
        {
            if (!IsFusable(n) || inDenseLayer.Contains(n)) continue;
            int target = -1;
            foreach (var c in consumers[n])
                if ((group.TryGetValue(c, out var gi) && c.Shape.Equals(n.Shape) || storeGroups.TryGetValue(c, out gi) && c.Inputs[0].Shape.Equals(n.Shape))
                    && NoPathAround(n, gi, groups, group, consumers))
                {
                    target = gi;
                    break;
                }
            // A column window is read in place only by one kernel that reads all of it; read elsewhere
            // too, it stays a copy (the kernel's operand and output would be the same value).
            if (n.Op is StridedSlice && (target < 0 || outputs.Contains(n) || readers[n].Any(r => !group.TryGetValue(r, out var rg) || rg != target))) continue;
            if (target < 0)
            {
                target = groups.Count;
                groups.Add(new List<Node>());
            }
            groups[target].Add(n);
            group[n] = target;
        }

        FuseColumnStores(storeGroups, group, groups, consumers);
        var rowGroups = RowFusion.Merge(g, group, groups, readers, inDenseLayer);
        FuseReductionTails(g, group, groups, consumers, rowGroups);
        var biasGradients = BiasGradients(g, group, groups, consumers, inDenseLayer, can);
        var inBiasGradient = new HashSet<Node>(biasGradients.SelectMany(p => p));

        // Schedule: kernels in topological order of their last member; sink assigns go last so
        // that every gradient has read the old variable values before any update lands.
        var kernels = new List<(int Order, bool Deferred, List<Node> Members, bool Fused, bool BiasGradient)>();
        var rowSpaces = new Dictionary<List<Node>, Shape>();
        for (int gi = 0; gi < groups.Count; gi++)
        {
            var members = groups[gi];
            if (members.Count == 0) continue; // merged into a row kernel
            // Row kernels read their inputs over several passes, so they never write a variable in place.
            if (rowGroups.Contains(gi)) rowSpaces[members] = RowFusion.SpaceOf(members);
            members.Sort((a, b) => a.Id.CompareTo(b.Id));
            var set = new HashSet<Node>(members);
            var leaving = members.Where(m => outputs.Contains(m) || readers[m].Any(c => !set.Contains(c))).ToList();
            // Deferred when everything that leaves the kernel is stored by an assign (consumers
            // inside the kernel, like Adam's new moment feeding the variable's update, do not count).
            bool deferred = !rowGroups.Contains(gi) && leaving.Count > 0 && leaving.All(m => !outputs.Contains(m) && readers[m].Where(c => !set.Contains(c)).All(IsSinkAssign(m)));
            kernels.Add((members[members.Count - 1].Id, deferred, members, true, false));
        }
        foreach (var layer in denseLayers) kernels.Add((layer[layer.Count - 1].Id, false, layer, false, false));
        foreach (var pair in biasGradients) kernels.Add((pair.Max(m => m.Id), false, pair, false, true));
        var attentionMembers = attention.Select(a => a.Members.ToList()).ToList();
        foreach (var chain in attentionMembers) kernels.Add((chain[chain.Count - 1].Id, false, chain, false, false));
        var gradientMembers = attentionGradients.ToDictionary(a => a, a => a.Members.ToList());
        foreach (var region in gradientMembers.Values) kernels.Add((region[region.Count - 1].Id, false, region, false, false));
        foreach (var n in g.Nodes)
        {
            if (group.ContainsKey(n) || inDenseLayer.Contains(n) || inBiasGradient.Contains(n) || n.Op.Class == OpClass.Source || n.Op.Class == OpClass.Effect) continue;
            kernels.Add((n.Id, false, new List<Node> { n }, false, false));
        }
        // Kahn's algorithm over kernels: a kernel runs once every kernel producing one of its
        // inputs has run; among ready kernels, non-deferred first, then by their first node.
        var producer = new Dictionary<Node, int>();
        for (int i = 0; i < kernels.Count; i++) foreach (var m in kernels[i].Members) producer[m] = i;
        // Only values read order kernels: a shape source (broadcast_like's like, element_count's input) is known from the start.
        var deps = kernels.Select((k, i) => new HashSet<int>(k.Members.SelectMany(RowFusion.ReadInputs).Where(producer.ContainsKey).Select(n => producer[n]).Where(p => p != i))).ToList();
        var done = new HashSet<int>();
        var result = new List<Kernel>();
        while (done.Count < kernels.Count)
        {
            int next = Enumerable.Range(0, kernels.Count).Where(i => !done.Contains(i) && deps[i].All(done.Contains))
                .OrderBy(i => kernels[i].Deferred).ThenBy(i => kernels[i].Members[0].Id).First();
            done.Add(next);
            var k = kernels[next];
            var set = new HashSet<Node>(k.Members);
            var outs = k.Fused ? k.Members.Where(m => outputs.Contains(m) || readers[m].Any(c => !set.Contains(c))).ToList()
                : k.Members.Count > 1 && !k.BiasGradient ? k.Members.Where(m => m == k.Members[k.Members.Count - 1] || outputs.Contains(m) || readers[m].Any(c => !set.Contains(c))).ToList()
                : k.Members.ToList();
            result.Add(new Kernel(result.Count, k.Members, outs, k.Fused, k.Deferred, k.BiasGradient, rowSpaces.TryGetValue(k.Members, out var space) ? space : null, attentionMembers.Contains(k.Members),
                gradientMembers.FirstOrDefault(r => r.Value == k.Members).Key));
        }
        return result;
    }

    /// <summary>
    /// GEMM epilogues: a matmul the back end's GEMM finishes with an epilogue, whose only reader is a
    /// bias add of a per-column bias ([n] or [1, n]), optionally followed by an activation the GEMM
    /// applies that is the add's only reader, becomes one dense-layer kernel: the GEMM adds the bias and
    /// applies the activation while C is in registers, so neither the product nor the pre-activation is
    /// stored. (The relu's gradient reads the relu's output, so nothing downstream needs the skipped values.)
    /// </summary>
    private static List<List<Node>> DenseLayers(Graph g, Dictionary<Node, List<Node>> consumers, HashSet<Node> outputs, BackendCapabilities can)
    {
        var layers = new List<List<Node>>();
        foreach (var mm in g.Nodes)
        {
            if (!can.GemmTakesEpilogue(mm)) continue;
            if (outputs.Contains(mm) || consumers[mm].Count != 1 || consumers[mm][0] is not { } add || !can.IsBiasEpilogue(add)) continue;
            if (add.Inputs.Count(i => i == mm) != 1 || !add.Shape.Equals(mm.Shape)) continue;
            var bias = add.Inputs[0] == mm ? add.Inputs[1] : add.Inputs[0];
            var n = mm.Shape[mm.Shape.Rank - 1];
            bool perColumn = bias.DType == mm.DType && (bias.Shape.Rank == 1 && bias.Shape[0] == n || bias.Shape.Rank == 2 && bias.Shape[0].IsStatic && bias.Shape[0].Size == 1 && bias.Shape[1] == n);
            if (!perColumn || (n.IsStatic && n.Size == 1)) continue;
            var layer = new List<Node> { mm, add };
            if (!outputs.Contains(add) && consumers[add].Count == 1 && consumers[add][0] is { } relu && can.IsActivationEpilogue(relu) && relu.Shape.Equals(add.Shape)) layer.Add(relu);
            layers.Add(layer);
        }
        return layers;
    }

    /// <summary>
    /// Reductions with their elementwise prologue: a reduce_sum over the last axis whose input is
    /// computed by a fused kernel joins that kernel, which then sums each row in registers (a loss's
    /// per-example sums, a softmax's denominators). When nothing else reads the input, the [rows,
    /// inner] prologue is never stored; when something does (a gradient reusing it), the kernel
    /// stores it as well, still saving the reduction's second pass. Not when the reduced value flows
    /// back into the same kernel (a cycle), and at most one reduction per kernel.
    /// </summary>
    private static void FuseReductionTails(Graph g, Dictionary<Node, int> group, List<List<Node>> groups, Dictionary<Node, List<Node>> consumers, HashSet<int> rowGroups)
    {
        var taken = new HashSet<int>(rowGroups);
        foreach (var r in g.Nodes)
        {
            // A reduction that already seeds a row kernel (whose prologue it could not absorb) stays there.
            if (r.Op is not ReduceSum || !IsLastAxisReduction(r) || group.ContainsKey(r)) continue;
            var p = r.Inputs[0];
            if (!group.TryGetValue(p, out var gi) || taken.Contains(gi)) continue;
            if (groups[gi].Any(m => m.DType != r.DType) || Reaches(r, gi, group, groups, consumers)) continue;
            groups[gi].Add(r);
            group[r] = gi;
            taken.Add(gi);
        }
    }

    private static bool IsLastAxisReduction(Node r)
    {
        var axes = r.Attrs.GetInts("axes");
        int rank = r.Inputs[0].Shape.Rank;
        return rank >= 1 && (axes.Length == 1 ? axes[0] == rank - 1 : axes.Length == 0 && rank == 1);
    }

    /// <summary>True when some path from <paramref name="n"/>'s consumers reaches a member of group <paramref name="target"/>.</summary>
    private static bool Reaches(Node n, int target, Dictionary<Node, int> group, List<List<Node>> groups, Dictionary<Node, List<Node>> consumers) =>
        KernelPaths.Finds(consumers[n], x => group.TryGetValue(x, out var k) && k == target, consumers, group, groups);

    /// <summary>
    /// An assign that stores exactly <paramref name="value"/> (same shape) into its variable: the
    /// kernel computing the value then writes straight into the variable's storage.
    /// </summary>
    public static Func<Node, bool> IsSinkAssign(Node value) => c =>
        c.Op.Class == OpClass.Effect && c.Inputs[1] == value && c.Inputs[0] != value && value.Shape.Equals(c.Shape);

    /// <summary>
    /// Elementwise ops (and splat constants that feed them) fuse; broadcast_like fuses as a load, and so
    /// does a column window of a wider tensor (<see cref="ColumnWindow"/>), read in place by the kernel.
    /// </summary>
    private static bool IsFusable(Node n) => n.Op is ElementwiseOp || n.Op is BroadcastLike || ColumnWindow.Of(n) is not null;

    /// <summary>
    /// True if no path leads from <paramref name="n"/> into group <paramref name="target"/> through a
    /// node outside it (a kernel-level path, see <see cref="KernelPaths"/>).
    /// </summary>
    private static bool NoPathAround(Node n, int target, List<List<Node>> groups, Dictionary<Node, int> group, Dictionary<Node, List<Node>> consumers)
    {
        var inGroup = new HashSet<Node>(groups[target]);
        return !KernelPaths.Finds(consumers[n].Where(c => !inGroup.Contains(c)), inGroup.Contains, consumers, group, groups, notEntered: [target]);
    }
}
