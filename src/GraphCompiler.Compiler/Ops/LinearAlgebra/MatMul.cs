using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Matrix product op(a) · op(b) over the last two axes, op = transpose when <c>transpose_a</c> /
/// <c>transpose_b</c>. Rank-2 inputs are plain matrices; with rank ≥ 3 the leading (batch) axes
/// broadcast as in NumPy's and TensorFlow's <c>matmul</c>, and each batch item is one product.
/// Gradient (no transposes): dA = dy · bᵀ, dB = aᵀ · dy, the flags permuting these, each summed
/// over the batch axes along which its input was broadcast.
/// With <c>contract_batch</c> (made by the gradient, not by model code) the operands have the same batch
/// axes and they are summed away too: C = Σᵢ op(Aᵢ)·op(Bᵢ), [m, n] — the gradient of a matrix shared
/// across a batch (a projection's kernel) as one product, which with Aᵀ and B is a single GEMM over
/// batch·k rows of the contiguous operands, instead of a [batch, m, n] temporary and its sum.
/// </summary>
/// <remarks>Opaque: kernel lowering describes it as a <see cref="Kernels.GemmCall"/>, which each back end runs with its GEMM.</remarks>
public sealed class MatMul : OpDef
{
    public override string Name => "matmul";
    public override OpClass Class => OpClass.Opaque;
    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 2, Name);
        Shape a = inputs[0].Shape, b = inputs[1].Shape;
        if (a.Rank < 2 || b.Rank < 2)
            throw new ShapeException($"{Name} needs matrices or batches of matrices (rank ≥ 2), got shapes {a} and {b}");
        if (inputs[0].DType != inputs[1].DType)
            throw new ShapeException($"{Name}: dtypes differ, {inputs[0].DType.ShortName()} and {inputs[1].DType.ShortName()}");
        bool ta = attrs.GetBool("transpose_a", false), tb = attrs.GetBool("transpose_b", false);
        int ra = a.Rank, rb = b.Rank;
        Dim m = ta ? a[ra - 1] : a[ra - 2], ka = ta ? a[ra - 2] : a[ra - 1], kb = tb ? b[rb - 1] : b[rb - 2], n = tb ? b[rb - 2] : b[rb - 1];
        if (!DimConstraints.Match(ka, kb, $"{Name} of {a}{(ta ? "ᵀ" : "")} and {b}{(tb ? "ᵀ" : "")} (inner dimensions)"))
            throw new ShapeException($"{Name}: incompatible shapes {a}{(ta ? "ᵀ" : "")} and {b}{(tb ? "ᵀ" : "")} (inner dimensions {ka} and {kb} differ{DimConstraints.Why(ka, kb)})");
        if (ContractsBatch(attrs))
        {
            if (a.Rank < 3 || a.Rank != b.Rank || !BatchShape(a).Equals(BatchShape(b)))
                throw new ShapeException($"{Name}: contracting the batch axes needs operands with the same batch axes, got shapes {a} and {b}");
            return (inputs[0].DType, new Shape(new[] { m, n }));
        }
        var batch = Broadcasting.Shapes(BatchShape(a), BatchShape(b), Name + " (batch dimensions)");
        return (inputs[0].DType, new Shape(batch.Concat(new[] { m, n })));
    }

    /// <summary>True when the product also sums over the (shared) batch axes of its operands.</summary>
    public static bool ContractsBatch(Attrs attrs) => attrs.GetBool("contract_batch", false);

    /// <summary>The leading (batch) axes of a matmul operand: all but the last two.</summary>
    public static Shape BatchShape(Shape s) => new(s.Take(s.Rank - 2));

    public static Attrs Flags(bool ta, bool tb) => Attrs.Of(("transpose_a", ta), ("transpose_b", tb));

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy)
    {
        Node a = node.Inputs[0], b = node.Inputs[1];
        bool ta = node.Attrs.GetBool("transpose_a", false), tb = node.Attrs.GetBool("transpose_b", false);
        // Batch axes that an input was broadcast along sum back to its shape (no-op for matrices); a matrix
        // used by every item of a batch (x:[batch, n, d] · W:[d, k]) gets them summed inside the product.
        Node Mm(Node x, Node y, bool tx, bool ty, Node like) =>
            like.Shape.Rank == 2 && x.Shape.Rank > 2 && x.Shape.Rank == y.Shape.Rank && BatchShape(x.Shape).Equals(BatchShape(y.Shape))
                ? g.Apply("matmul", new[] { x, y }, Flags(tx, ty).With("contract_batch", true))
                : g.SumToLike(g.Apply("matmul", new[] { x, y }, Flags(tx, ty)), like);
        return (ta, tb) switch
        {
            (false, false) => new[] { Mm(dy, b, false, true, a), Mm(a, dy, true, false, b) },
            (true, false) => new[] { Mm(b, dy, false, true, a), Mm(a, dy, false, false, b) },
            (false, true) => new[] { Mm(dy, b, false, false, a), Mm(dy, a, true, false, b) },
            _ => new[] { Mm(b, dy, true, true, a), Mm(dy, a, true, true, b) },
        };
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        RefTensor a = inputs[0], b = inputs[1];
        bool ta = attrs.GetBool("transpose_a", false), tb = attrs.GetBool("transpose_b", false);
        int rc = outShape.Length;
        int m = outShape[rc - 2], n = outShape[rc - 1];
        int aRows = a.Shape[a.Rank - 2], aCols = a.Shape[a.Rank - 1], bCols = b.Shape[b.Rank - 1];
        int k = ta ? aRows : aCols;
        bool contract = ContractsBatch(attrs);
        int[] aBatch = a.Shape.Take(a.Rank - 2).ToArray(), bBatch = b.Shape.Take(b.Rank - 2).ToArray();
        var batch = contract ? aBatch : outShape.Take(rc - 2).ToArray();
        long count = RefTensor.Count(batch);
        var c = new double[(contract ? 1 : count) * m * n];
        for (long item = 0; item < count; item++)
        {
            long aOff = RefTensor.BroadcastIndex(item, batch, aBatch) * aRows * aCols;
            long bOff = RefTensor.BroadcastIndex(item, batch, bBatch) * b.Shape[b.Rank - 2] * bCols;
            long cOff = contract ? 0 : item * m * n;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int p = 0; p < k; p++)
                        s += a.Data[aOff + (ta ? p * aCols + i : i * aCols + p)] * b.Data[bOff + (tb ? j * bCols + p : p * bCols + j)];
                    c[cOff + i * n + j] += s;
                }
        }
        for (int i = 0; i < c.Length; i++) c[i] = RefTensor.Round(a.DType, c[i]);
        return new RefTensor(a.DType, outShape, c);
    }
}
