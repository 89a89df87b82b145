using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Passes;

/// <summary>
/// Kernel lowering: turns each kernel of the fusion plan into a back-end-neutral description — its
/// iteration space, how each operand is indexed, the scalar body as op templates, reductions with
/// their fold, and which outputs may reuse an input's storage. Renderers read only these.
/// </summary>
public static class LowerKernelsPass
{
    public static IReadOnlyList<KernelDescription> Run(IReadOnlyList<Kernel> kernels) => kernels.Select(Lower).ToList();

    public static KernelDescription Lower(Kernel k)
    {
        if (k.RowSpace is not null) return LowerRowKernel(k);
        if (k.IsFused) return LowerElementwise(k);
        if (k.IsAttention) return AttentionCall.Lower(k);
        if (k.AttentionGradient is { } gradient) return new AttentionGradientCall(k, gradient);
        if (k.Members[0].Op is MatMul) return LowerGemm(k);
        if (ConvolutionCall.IsWindowOp(k.Members[0].Op)) return ConvolutionCall.Lower(k);
        var node = k.Members[0];
        var gathered = node.Op is GatherDot or GatherWeightedSum or RowOuter;
        var operands = k.Inputs.Select(i => new KernelOperand(i, gathered && i == node.Inputs[0] && node.Op is not RowOuter ? IndexMap.Gathered : IndexMap.Contiguous)).ToList();
        return new LibraryCall(k, new IterationSpace(gathered ? IterationKind.PerGatheredRow : IterationKind.Library, node.Shape), operands);
    }

    private static ElementwiseKernel LowerElementwise(Kernel k)
    {
        var shape = k.Shape;
        var reduction = k.Reduction;
        // Column windows are operands read in place, column stores are outputs written in place: neither is a statement.
        var windows = k.Members.Where(m => m.Op is StridedSlice).ToList();
        var stores = k.Members.Where(m => Fusion.IsColumnStore(k, m)).Select(c => new WindowStore(c, c.Inputs, ColumnWindow.ConcatOffsets(c)!, c.Shape[c.Shape.Rank - 1].Size)).ToList();
        var computed = k.Members.Where(m => m != reduction && !windows.Contains(m) && stores.All(s => s.Concat != m)).ToList();
        var operands = k.Inputs.Where(i => computed.Any(m => RowFusion.ReadInputs(m).Contains(i)) || reduction?.Inputs[0] == i)
            .Select(i => new KernelOperand(i, Classify(i, shape)))
            .Concat(windows.Select(w => new KernelOperand(w, IndexMap.ColumnWindow))).ToList();
        bool perRow = reduction is not null || stores.Count > 0 || operands.Any(o => o.Map is IndexMap.RowBroadcast or IndexMap.ColumnBroadcast or IndexMap.Strided or IndexMap.ColumnWindow);
        var body = computed.Select(Statement).ToList();
        var tail = reduction is null ? null : Reduction(reduction);
        var inPlace = k.Deferred ? new List<Node>() : k.Outputs.Where(o => o != reduction && o.Shape.Equals(shape) && stores.All(s => s.Concat != o)).ToList();
        return new ElementwiseKernel(k, new IterationSpace(perRow ? IterationKind.PerRow : IterationKind.Flat, shape), operands, inPlace, body, tail, stores);
    }

    private static RowKernel LowerRowKernel(Kernel k)
    {
        var plan = new RowKernelPlan(k);
        var rowValue = RowFusion.RowValueShape(plan.Space);
        bool ReadPerRow(Node input) => plan.Members.Any(m => RowFusion.ReadInputs(m).Contains(input)
            && (plan.Roles[m] == RowRole.RowValue || input.Shape.Equals(rowValue)));
        IndexMap Map(Node i) =>
            Constant.SplatValue(i) is not null ? IndexMap.Literal
            : i.Shape.IsStatic && i.Shape.StaticElementCount == 1 ? IndexMap.Scalar
            : i.Shape.Equals(plan.Space) ? IndexMap.Contiguous
            : ReadPerRow(i) ? IndexMap.ColumnBroadcast
            : RowFusion.IsRowBroadcast(i.Shape, plan.Space) ? IndexMap.RowBroadcast // a bias along the row
            : IndexMap.Strided; // any other broadcast (an attention mask): a base per row
        var operands = k.Inputs.Select(i => new KernelOperand(i, Map(i))).ToList();
        var statements = plan.Members.Where(m => plan.Roles[m] != RowRole.Reduce).ToDictionary(m => m, Statement);
        var reductions = plan.Members.Where(m => plan.Roles[m] == RowRole.Reduce).ToDictionary(m => m, Reduction);
        // A row kernel reads its inputs in several passes: only what it stores in the last one may overwrite them.
        var inPlace = k.Outputs.Where(o => o.Shape.Equals(plan.Space) && plan.StoresInLastPass(o)).ToList();
        return new RowKernel(k, new IterationSpace(IterationKind.PerRow, plan.Space), operands, inPlace, plan, statements, reductions);
    }

    /// <summary>
    /// A matmul alone, or with the epilogue or column sum fusion gave it: a dense layer [matmul, bias
    /// add, (relu)] or a bias gradient [matmul, column sum].
    /// </summary>
    private static GemmCall LowerGemm(Kernel k)
    {
        var mm = k.Members[0];
        var operands = k.Inputs.Select(i => new KernelOperand(i, IndexMap.Contiguous)).ToList();
        if (k.IsBiasGradient) return new GemmCall(k, operands, mm, bias: null, relu: false, columnSums: k.Members[1]);
        if (!k.IsDenseLayer) return new GemmCall(k, operands, mm, bias: null, relu: false, columnSums: null);
        var add = k.Members[1];
        var bias = add.Inputs[0] == mm ? add.Inputs[1] : add.Inputs[0];
        return new GemmCall(k, operands, mm, bias, relu: k.Members.Count > 2, columnSums: null);
    }

    /// <summary>A member's scalar template; loads that only relabel a value (broadcast_like, reshape) are its first input.</summary>
    private static KernelStatement Statement(Node m) => m.Op switch
    {
        ElementwiseOp e => new KernelStatement(m, e.Template(m.Attrs, m.DType), m.Inputs),
        BroadcastLike or Reshape => new KernelStatement(m, ScalarExpr.Arg(0), new[] { m.Inputs[0] }),
        _ => throw new InvalidOperationException($"{m.OpName} cannot be part of a fused kernel"),
    };

    private static KernelReduction Reduction(Node r) =>
        new(r, r.Inputs[0], r.Op.Fold ?? throw new InvalidOperationException($"{r.OpName} is not a fold"));

    /// <summary>
    /// How an operand of an elementwise kernel over <paramref name="shape"/> (viewed as [rows, inner])
    /// is indexed: the same shape; one value; a bias [inner] over the rows; a [rows, 1] column along each
    /// row; a literal; any other broadcast (a base per row).
    /// </summary>
    private static IndexMap Classify(Node input, Shape shape)
    {
        if (Constant.SplatValue(input) is not null) return IndexMap.Literal;
        var s = input.Shape;
        if (s.Equals(shape)) return IndexMap.Contiguous;
        if (s.IsStatic && s.StaticElementCount == 1) return IndexMap.Scalar;
        if (shape.Rank >= 2 && s.Rank >= 1 && s[s.Rank - 1] == shape[shape.Rank - 1] && s.Take(s.Rank - 1).All(d => d.IsStatic && d.Size == 1))
            return IndexMap.RowBroadcast;
        if (shape.Rank >= 2 && s.Rank == shape.Rank && s[s.Rank - 1].IsStatic && s[s.Rank - 1].Size == 1 && !(shape[shape.Rank - 1].IsStatic && shape[shape.Rank - 1].Size == 1)
            && Enumerable.Range(0, s.Rank - 1).All(a => s[a] == shape[a]))
            return IndexMap.ColumnBroadcast;
        return IndexMap.Strided;
    }
}
