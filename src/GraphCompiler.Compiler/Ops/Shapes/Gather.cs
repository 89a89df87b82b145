using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// <c>tf.gather</c>: slices of params along <c>axis</c> picked by integer indices; the result has
/// shape <c>params[:axis] + indices + params[axis+1:]</c>. Out-of-range indices are an error
/// naming the index and its position. Gradient w.r.t. params: along axis 0 a sparse_rows of dy at
/// the indices (an embedding table's sparse row update); along another axis the same after moving
/// that axis to the front. Indices get none.
/// </summary>
public sealed class Gather : OpDef
{
    public override string Name => "gather";
    public override OpClass Class => OpClass.Opaque;
    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 2, Name);
        Shape p = inputs[0].Shape, i = inputs[1].Shape;
        if (!inputs[1].DType.IsInteger())
            throw new ShapeException($"{Name}: indices must be int32 or int64, got {inputs[1].DType.ShortName()}{i}");
        int axis = attrs.GetInt("axis");
        if (axis < 0 || axis >= p.Rank) throw new ShapeException($"{Name}: axis {axis} is out of range for params of shape {p} (rank {p.Rank})");
        return (inputs[0].DType, new Shape(p.Take(axis).Concat(i).Concat(p.Skip(axis + 1))));
    }

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy)
    {
        Node p = node.Inputs[0], indices = node.Inputs[1];
        int axis = node.Attrs.GetInt("axis");
        if (axis == 0) return new[] { SparseRows.Apply(g, new[] { (dy, indices) }, p), null };
        // Move the gathered axis to the front, scatter rows there, and move it back.
        int rank = p.Shape.Rank, indexRank = indices.Shape.Rank;
        var toFront = new[] { axis }.Concat(Enumerable.Range(0, rank).Where(a => a != axis)).ToArray();
        var back = new int[rank];
        for (int a = 0; a < rank; a++) back[toFront[a]] = a;
        var dyPerm = Enumerable.Range(axis, indexRank).Concat(Enumerable.Range(0, axis)).Concat(Enumerable.Range(axis + indexRank, dy.Shape.Rank - axis - indexRank)).ToArray();
        var like = g.Apply("transpose", new[] { p }, Attrs.Of(("perm", toFront)));
        var values = g.Apply("transpose", new[] { dy }, Attrs.Of(("perm", dyPerm)));
        var rows = SparseRows.Apply(g, new[] { (values, indices) }, like);
        return new[] { g.Apply("transpose", new[] { rows }, Attrs.Of(("perm", back))), null };
    }

    public override void EmitCpu(Emit.CpuKernelContext ctx)
    {
        var p = ctx.Node.Inputs[0].Shape;
        int axis = ctx.Node.Attrs.GetInt("axis");
        string outer = ctx.Count(new Shape(p.Take(axis))), inner = ctx.Count(new Shape(p.Skip(axis + 1)));
        ctx.Line($"GraphCompiler.Runtime.Execution.CpuOps.Gather<{ctx.T}, {ctx.Node.Inputs[1].DType.CSharpName()}>({ctx.In(0)}, {outer}, {ctx.Dim(p[axis])}, {inner}, {ctx.In(1)}, {ctx.Write});");
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        RefTensor p = inputs[0], indices = inputs[1];
        int axis = attrs.GetInt("axis");
        long outer = ShapeRules.Product(p.Shape, 0, axis), inner = ShapeRules.Product(p.Shape, axis + 1, p.Rank);
        int size = p.Shape[axis];
        long n = indices.Data.Length;
        var result = new double[RefTensor.Count(outShape)];
        for (long j = 0; j < n; j++)
        {
            long id = ShapeRules.Index(indices, j, Name);
            if (id < 0 || id >= size)
                throw new InvalidOperationException($"{Name}: indices[{j}] = {id} is outside [0, {size}) along axis {axis} of params [{string.Join(", ", p.Shape)}]");
            for (long o = 0; o < outer; o++)
                Array.Copy(p.Data, (o * size + id) * inner, result, (o * n + j) * inner, inner);
        }
        return new RefTensor(p.DType, outShape, result);
    }
}
