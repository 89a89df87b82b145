using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Matrix product op(a) · op(b) of rank-2 tensors, op = transpose when <c>transpose_a</c> /
/// <c>transpose_b</c>. Gradient (no transposes): dA = dy · bᵀ, dB = aᵀ · dy; the flags permute these.
/// </summary>
public sealed class MatMul : OpDef
{
    public override string Name => "matmul";
    public override OpClass Class => OpClass.Opaque;
    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 2, Name);
        Shape a = inputs[0].Shape, b = inputs[1].Shape;
        if (a.Rank != 2 || b.Rank != 2)
            throw new ShapeException($"{Name} needs two matrices (rank 2), got shapes {a} and {b}");
        if (inputs[0].DType != inputs[1].DType)
            throw new ShapeException($"{Name}: dtypes differ, {inputs[0].DType.ShortName()} and {inputs[1].DType.ShortName()}");
        bool ta = attrs.GetBool("transpose_a", false), tb = attrs.GetBool("transpose_b", false);
        Dim m = ta ? a[1] : a[0], ka = ta ? a[0] : a[1], kb = tb ? b[1] : b[0], n = tb ? b[0] : b[1];
        if (ka != kb)
            throw new ShapeException($"{Name}: incompatible shapes {a}{(ta ? "ᵀ" : "")} and {b}{(tb ? "ᵀ" : "")} (inner dimensions {ka} and {kb} differ)");
        return (inputs[0].DType, Shape.Of(m, n));
    }

    public static Attrs Flags(bool ta, bool tb) => Attrs.Of(("transpose_a", ta), ("transpose_b", tb));

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy)
    {
        Node a = node.Inputs[0], b = node.Inputs[1];
        bool ta = node.Attrs.GetBool("transpose_a", false), tb = node.Attrs.GetBool("transpose_b", false);
        Node Mm(Node x, Node y, bool tx, bool ty) => g.Apply("matmul", new[] { x, y }, Flags(tx, ty));
        return (ta, tb) switch
        {
            (false, false) => new[] { Mm(dy, b, false, true), Mm(a, dy, true, false) },
            (true, false) => new[] { Mm(b, dy, false, true), Mm(a, dy, false, false) },
            (false, true) => new[] { Mm(dy, b, false, false), Mm(dy, a, true, false) },
            _ => new[] { Mm(b, dy, true, true), Mm(dy, a, true, true) },
        };
    }

    public override void EmitCpu(Emit.CpuKernelContext ctx)
    {
        var a = ctx.Node.Inputs[0].Shape;
        bool ta = ctx.Node.Attrs.GetBool("transpose_a", false), tb = ctx.Node.Attrs.GetBool("transpose_b", false);
        string m = ctx.Dim(ctx.Node.Shape[0]), n = ctx.Dim(ctx.Node.Shape[1]), k = ctx.Dim(ta ? a[0] : a[1]);
        ctx.Line($"GraphCompiler.Runtime.Execution.CpuOps.MatMul<{ctx.T}>({(ta ? "true" : "false")}, {(tb ? "true" : "false")}, {m}, {n}, {k}, {ctx.In(0)}, {ctx.In(1)}, {ctx.Write});");
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        RefTensor a = inputs[0], b = inputs[1];
        bool ta = attrs.GetBool("transpose_a", false), tb = attrs.GetBool("transpose_b", false);
        int m = outShape[0], n = outShape[1], k = ta ? a.Shape[0] : a.Shape[1];
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s += a.Data[ta ? p * a.Shape[1] + i : i * a.Shape[1] + p] * b.Data[tb ? j * b.Shape[1] + p : p * b.Shape[1] + j];
                c[i * n + j] = RefTensor.Round(a.DType, s);
            }
        return new RefTensor(a.DType, outShape, c);
    }
}
