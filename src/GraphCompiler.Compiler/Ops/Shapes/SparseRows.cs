using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// A sparse row update of a table: inputs <c>(values_0, ids_0, …, values_k, ids_k, like)</c>, with
/// ids integer of any shape I_j and values_j of shape <c>I_j + like.shape[1:]</c>. Its value is
/// dense: zeros of like's shape with every row values_j[i] added at row ids_j[i] (repeated ids
/// accumulate), so reference evaluation and finite differences treat it as an ordinary tensor.
/// It is a primitive because it is the gradient of gather along axis 0: an optimizer reads the
/// pairs (<see cref="Parts"/>) and updates only those rows instead of a dense [V, D] gradient.
/// Several pairs arise when one table is looked up more than once; they are kept as a list (not
/// concatenated) because a concatenated length such as <c>n + 64</c> has no single-dim shape.
/// Gradient: values_j gets gather(dy, ids_j) along axis 0; ids and like get none.
/// </summary>
public sealed class SparseRows : OpDef
{
    public override string Name => "sparse_rows";
    public override OpClass Class => OpClass.Opaque;
    public override bool HasGradient => true;

    /// <summary>Builds one sparse_rows node from (values, ids) pairs onto the table <paramref name="like"/>.</summary>
    public static Node Apply(GraphBuilder g, IEnumerable<(Node Values, Node Ids)> parts, Node like) =>
        g.Apply("sparse_rows", parts.SelectMany(p => new[] { p.Values, p.Ids }).Concat(new[] { like }).ToArray());

    /// <summary>The (values, ids) pairs of a sparse_rows node.</summary>
    public static IReadOnlyList<(Node Values, Node Ids)> Parts(Node n)
    {
        if (n.Op is not SparseRows) throw new ArgumentException($"{n.Name} is a {n.OpName}, not a sparse_rows");
        return Enumerable.Range(0, n.Inputs.Count / 2).Select(j => (n.Inputs[2 * j], n.Inputs[2 * j + 1])).ToList();
    }

    /// <summary>The table whose shape the update has (the params of the lookup).</summary>
    public static Node Like(Node n) => n.Op is SparseRows ? n.Inputs[n.Inputs.Count - 1] : throw new ArgumentException($"{n.Name} is not a sparse_rows");

    /// <summary>
    /// The sum of several sparse_rows nodes of the same table as one sparse_rows holding all their
    /// pairs, or null when the nodes are not all sparse_rows of one like.
    /// </summary>
    public static Node? TryCombine(GraphBuilder g, IReadOnlyList<Node> nodes)
    {
        if (nodes.Count < 2 || nodes.Any(n => n.Op is not SparseRows)) return null;
        var like = Like(nodes[0]);
        if (nodes.Any(n => Like(n) != like)) return null;
        return Apply(g, nodes.SelectMany(Parts), like);
    }

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        if (inputs.Count < 3 || inputs.Count % 2 == 0)
            throw new ShapeException($"{Name} takes (values, ids) pairs followed by like, got {inputs.Count} inputs");
        var like = inputs[inputs.Count - 1];
        if (like.Shape.Rank == 0) throw new ShapeException($"{Name}: the table must have rank ≥ 1, got a scalar");
        var row = like.Shape.Skip(1).ToList();
        for (int j = 0; j + 1 < inputs.Count; j += 2)
        {
            Node values = inputs[j], ids = inputs[j + 1];
            if (!ids.DType.IsInteger()) throw new ShapeException($"{Name}: ids must be int32 or int64, got {ids.DType.ShortName()}{ids.Shape}");
            if (values.DType != like.DType) throw new ShapeException($"{Name}: values are {values.DType.ShortName()} but the table is {like.DType.ShortName()}");
            var expected = new Shape(ids.Shape.Concat(row));
            if (!values.Shape.Equals(expected))
                throw new ShapeException($"{Name}: values of shape {values.Shape} do not match ids {ids.Shape} and rows of table {like.Shape} (expected {expected})");
        }
        return (like.DType, like.Shape);
    }

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy)
    {
        var grads = new Node?[node.Inputs.Count];
        for (int j = 0; j + 1 < node.Inputs.Count; j += 2)
            grads[j] = g.Apply("gather", new[] { dy, node.Inputs[j + 1] }, Attrs.Of(("axis", 0)));
        return grads;
    }

    public override void EmitCpu(Emit.CpuKernelContext ctx)
    {
        var like = ctx.Node.Shape;
        string rowLength = ctx.Count(new Shape(like.Skip(1)));
        ctx.Line($"{ctx.Write}.Clear();");
        for (int j = 0; j + 1 < ctx.Node.Inputs.Count; j += 2)
            ctx.Line($"GraphCompiler.Runtime.Execution.CpuOps.ScatterAddRows<{ctx.T}, {ctx.Node.Inputs[j + 1].DType.CSharpName()}>({ctx.In(j)}, {rowLength}, {ctx.In(j + 1)}, {ctx.Write});");
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        var like = inputs[inputs.Count - 1];
        long row = ShapeRules.Product(outShape, 1, outShape.Length);
        var result = new double[RefTensor.Count(outShape)];
        for (int j = 0; j + 1 < inputs.Count; j += 2)
        {
            RefTensor values = inputs[j], ids = inputs[j + 1];
            for (long i = 0; i < ids.Data.Length; i++)
            {
                long id = ShapeRules.Index(ids, i, Name);
                if (id < 0 || id >= outShape[0])
                    throw new InvalidOperationException($"{Name}: ids[{i}] = {id} is outside the table's {outShape[0]} rows");
                for (long c = 0; c < row; c++) result[id * row + c] += values.Data[i * row + c];
            }
        }
        for (long i = 0; i < result.Length; i++) result[i] = RefTensor.Round(like.DType, result[i]);
        return new RefTensor(like.DType, outShape, result);
    }
}
