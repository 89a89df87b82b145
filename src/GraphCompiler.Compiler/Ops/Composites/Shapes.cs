using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops.Composites;

/// <summary>
/// The shape family as builder methods: each resolves TensorFlow's conventions (negative axes,
/// -1 sizes, strided-slice masks, clamping) into a few primitives (reshape, concat,
/// strided_slice, pad, tile, gather, one_hot, fill, broadcast_like, constant), so gradients come
/// from those. Errors are <see cref="ShapeException"/>s naming the op, the axis and the shapes.
/// </summary>
public static class Shapes
{
    /// <summary>Largest range or splat written out as a constant; bigger ones are rejected or filled at run time.</summary>
    public const int MaxConstantElements = 4096;

    /// <summary>Inserts a size-1 axis at <paramref name="axis"/> (−rank−1..rank): <c>np.newaxis</c>.</summary>
    public static Node ExpandDims(GraphBuilder g, Node x, int axis)
    {
        int rank = x.Shape.Rank;
        int a = axis < 0 ? axis + rank + 1 : axis;
        if (a < 0 || a > rank) throw new ShapeException($"expand_dims: axis {axis} is out of range for {x.Shape} (valid: {-rank - 1}..{rank})");
        var dims = x.Shape.ToList();
        dims.Insert(a, Dim.Of(1));
        return Reshape(g, x, new Shape(dims));
    }

    /// <summary>Removes size-1 axes: all static ones when <paramref name="axes"/> is null, else exactly those given.</summary>
    public static Node Squeeze(GraphBuilder g, Node x, int[]? axes)
    {
        var s = x.Shape;
        HashSet<int> drop;
        if (axes is null) drop = new HashSet<int>(Enumerable.Range(0, s.Rank).Where(a => s[a].IsStatic && s[a].Size == 1));
        else
        {
            drop = new HashSet<int>();
            foreach (var axis in axes)
            {
                int a = ShapeRules.Axis(axis, s.Rank, "squeeze");
                if (!s[a].IsStatic)
                    throw ShapeRules.Unrepresentable($"squeeze: dimension {axis} of {s} is symbolic ({s[a]}), so it is not known to be 1; reshape explicitly if it is");
                if (s[a].Size != 1) throw new ShapeException($"squeeze: dimension {axis} of {s} has size {s[a].Size}, not 1");
                if (!drop.Add(a)) throw new ShapeException($"squeeze: axis {axis} is repeated");
            }
        }
        return Reshape(g, x, new Shape(Enumerable.Range(0, s.Rank).Where(a => !drop.Contains(a)).Select(a => s[a])));
    }

    /// <summary>Joins tensors along an existing axis (<c>tf.concat</c>).</summary>
    public static Node Concat(GraphBuilder g, IReadOnlyList<Node> xs, int axis)
    {
        if (xs.Count == 0) throw new ShapeException("concat: needs at least one tensor");
        if (xs[0].Shape.Rank == 0) throw new ShapeException("concat: scalars have no axis to join along; use stack");
        int a = ShapeRules.Axis(axis, xs[0].Shape.Rank, "concat");
        return xs.Count == 1 ? xs[0] : g.Apply("concat", xs, Attrs.Of(("axis", a)));
    }

    /// <summary>Joins same-shaped tensors along a new axis (<c>tf.stack</c>).</summary>
    public static Node Stack(GraphBuilder g, IReadOnlyList<Node> xs, int axis)
    {
        if (xs.Count == 0) throw new ShapeException("stack: needs at least one tensor");
        foreach (var x in xs)
            if (!x.Shape.Equals(xs[0].Shape) || x.DType != xs[0].DType)
                throw new ShapeException($"stack: all tensors must have the same shape and dtype, got {xs[0].DType.ShortName()}{xs[0].Shape} and {x.DType.ShortName()}{x.Shape}");
        int rank = xs[0].Shape.Rank;
        int a = axis < 0 ? axis + rank + 1 : axis;
        if (a < 0 || a > rank) throw new ShapeException($"stack: axis {axis} is out of range for tensors of shape {xs[0].Shape} (valid: {-rank - 1}..{rank})");
        var expanded = xs.Select(x => ExpandDims(g, x, a)).ToList();
        return expanded.Count == 1 ? expanded[0] : g.Apply("concat", expanded, Attrs.Of(("axis", a)));
    }

    /// <summary>Splits along a static axis into its slices, that axis removed (<c>tf.unstack</c>).</summary>
    public static Node[] Unstack(GraphBuilder g, Node x, int axis)
    {
        var s = x.Shape;
        if (s.Rank == 0) throw new ShapeException("unstack: a scalar has no axis to unstack");
        int a = ShapeRules.Axis(axis, s.Rank, "unstack");
        if (!s[a].IsStatic)
            throw ShapeRules.Unrepresentable($"unstack: axis {axis} of {s} is symbolic ({s[a]}), so the number of results is not known at compile time");
        var rest = new Shape(s.Where((_, i) => i != a));
        return Enumerable.Range(0, s[a].Size).Select(i => Reshape(g, Window(g, x, a, i, 1), rest)).ToArray();
    }

    /// <summary>Splits into <paramref name="count"/> equal parts along <paramref name="axis"/> (<c>tf.split</c> with a number).</summary>
    public static Node[] Split(GraphBuilder g, Node x, int count, int axis)
    {
        if (count <= 0) throw new ShapeException($"split: the number of splits must be positive, got {count}");
        var s = x.Shape;
        if (s.Rank == 0) throw new ShapeException("split: a scalar has no axis to split");
        int a = ShapeRules.Axis(axis, s.Rank, "split");
        if (count == 1) return new[] { x };
        if (!s[a].IsStatic)
            throw ShapeRules.Unrepresentable($"split: axis {axis} of {s} is symbolic ({s[a]}), so {count} parts of it are not static dims");
        if (s[a].Size % count != 0) throw new ShapeException($"split: dimension {axis} of {s} (size {s[a].Size}) does not divide into {count} equal parts");
        return Split(g, x, Enumerable.Repeat(s[a].Size / count, count).ToArray(), axis);
    }

    /// <summary>Splits into parts of the given sizes along <paramref name="axis"/>; one size may be -1 (the rest).</summary>
    public static Node[] Split(GraphBuilder g, Node x, int[] sizes, int axis)
    {
        var s = x.Shape;
        if (s.Rank == 0) throw new ShapeException("split: a scalar has no axis to split");
        int a = ShapeRules.Axis(axis, s.Rank, "split");
        string Text() => "[" + string.Join(", ", sizes) + "]";
        if (sizes.Length == 0) throw new ShapeException("split: needs at least one size");
        if (sizes.Count(v => v == -1) > 1 || sizes.Any(v => v < -1)) throw new ShapeException($"split: sizes {Text()} must be non-negative, with at most one -1");
        if (sizes.Length == 1 && (sizes[0] == -1 || (s[a].IsStatic && sizes[0] == s[a].Size))) return new[] { x };
        if (!s[a].IsStatic)
            throw ShapeRules.Unrepresentable($"split: axis {axis} of {s} is symbolic ({s[a]}), so parts {Text()} of it are not all static dims");
        int known = sizes.Where(v => v >= 0).Sum();
        var resolved = sizes.Select(v => v == -1 ? s[a].Size - known : v).ToArray();
        if (resolved.Any(v => v < 0) || resolved.Sum() != s[a].Size)
            throw new ShapeException($"split: sizes {Text()} do not add up to dimension {axis} of {s} (size {s[a].Size})");
        var parts = new Node[resolved.Length];
        int offset = 0;
        for (int i = 0; i < resolved.Length; i++)
        {
            parts[i] = Window(g, x, a, offset, resolved[i]);
            offset += resolved[i];
        }
        return parts;
    }

    /// <summary>
    /// <c>tf.slice</c>: <paramref name="size"/>[a] elements from <paramref name="begin"/>[a] on each axis,
    /// -1 meaning to the end. On a symbolic axis the window is either the whole axis or a static size
    /// (bounds-checked when the code runs).
    /// </summary>
    public static Node Slice(GraphBuilder g, Node x, int[] begin, int[] size)
    {
        var s = x.Shape;
        if (begin.Length != s.Rank || size.Length != s.Rank)
            throw new ShapeException($"slice: begin [{string.Join(", ", begin)}] and size [{string.Join(", ", size)}] must each have {s.Rank} entries for a tensor of shape {s}");
        var dims = new Dim[s.Rank];
        var starts = (int[])begin.Clone();
        for (int a = 0; a < s.Rank; a++)
        {
            if (begin[a] < 0) throw new ShapeException($"slice: begin {begin[a]} on axis {a} is negative");
            if (size[a] < -1) throw new ShapeException($"slice: size {size[a]} on axis {a} is invalid (use -1 for 'to the end')");
            if (s[a].IsStatic)
            {
                int n = size[a] == -1 ? s[a].Size - begin[a] : size[a];
                if (n < 0 || begin[a] + n > s[a].Size)
                    throw new ShapeException($"slice: on axis {a} the window of {(size[a] == -1 ? "the rest" : n.ToString(System.Globalization.CultureInfo.InvariantCulture))} from {begin[a]} leaves the dimension of size {s[a].Size} (tensor {s})");
                dims[a] = Dim.Of(n);
            }
            else if (size[a] >= 0) dims[a] = Dim.Of(size[a]);
            else if (begin[a] == 0) dims[a] = s[a];
            else throw ShapeRules.Unrepresentable($"slice: axis {a} of {s} is symbolic ({s[a]}), so the rest after {begin[a]} ({s[a]} - {begin[a]}) is not a single dimension; slice a static size");
            if (dims[a].IsStatic && dims[a].Size == 0) starts[a] = 0;
        }
        return Window(g, x, starts, Enumerable.Repeat(1, s.Rank).ToArray(), new Shape(dims));
    }

    /// <summary>
    /// <c>tf.strided_slice</c> with begin, end and shrink-axis masks (bit i applies to axis i; axes past
    /// the spec are taken whole). Static dims follow TensorFlow's clamping. On a symbolic axis the
    /// result must be a static size (begin and end both from the start or both from the end) or the
    /// whole axis, forwards or reversed; those windows are bounds-checked when the code runs.
    /// </summary>
    public static Node StridedSlice(GraphBuilder g, Node x, int[] begin, int[] end, int[]? strides, int beginMask, int endMask, int shrinkAxisMask)
    {
        var s = x.Shape;
        strides ??= Enumerable.Repeat(1, begin.Length).ToArray();
        if (begin.Length != end.Length || begin.Length != strides.Length)
            throw new ShapeException($"strided_slice: begin, end and strides must have the same length, got {begin.Length}, {end.Length} and {strides.Length}");
        if (begin.Length > s.Rank) throw new ShapeException($"strided_slice: {begin.Length} axes given for a tensor of shape {s} (rank {s.Rank})");
        var starts = new int[s.Rank];
        var steps = Enumerable.Repeat(1, s.Rank).ToArray();
        var dims = s.ToArray();
        var shrunk = new List<int>();
        for (int a = 0; a < begin.Length; a++)
        {
            int st = strides[a];
            if (st == 0) throw new ShapeException($"strided_slice: stride 0 on axis {a}");
            bool bm = (beginMask >> a & 1) != 0, em = (endMask >> a & 1) != 0, shrink = (shrinkAxisMask >> a & 1) != 0;
            steps[a] = st;
            var d = s[a];
            if (shrink)
            {
                int i = begin[a];
                if (d.IsStatic)
                {
                    int r = i < 0 ? i + d.Size : i;
                    if (r < 0 || r >= d.Size) throw new ShapeException($"strided_slice: index {i} on axis {a} is out of range for dimension {d.Size} (tensor {s})");
                    i = r;
                }
                starts[a] = i;
                steps[a] = 1;
                dims[a] = Dim.Of(1);
                shrunk.Add(a);
                continue;
            }
            if (d.IsStatic)
            {
                int n = d.Size;
                int Clamp(int v, bool forward) => forward ? Math.Max(0, Math.Min(n, v)) : Math.Max(-1, Math.Min(n - 1, v));
                int b = bm ? (st > 0 ? 0 : n - 1) : Clamp(begin[a] < 0 ? begin[a] + n : begin[a], st > 0);
                int e = em ? (st > 0 ? n : -1) : Clamp(end[a] < 0 ? end[a] + n : end[a], st > 0);
                int size = st > 0 ? Math.Max(0, CeilDiv(e - b, st)) : Math.Max(0, CeilDiv(b - e, -st));
                starts[a] = size == 0 ? 0 : b;
                dims[a] = Dim.Of(size);
                continue;
            }
            // Symbolic n: a position is (from the end?, offset); n itself never enters the arithmetic.
            var (bEnd, bOff) = bm ? (st > 0 ? (false, 0) : (true, -1)) : (begin[a] < 0, begin[a]);
            var (eEnd, eOff) = em ? (st > 0 ? (true, 0) : (false, -1)) : (end[a] < 0, end[a]);
            if (bEnd == eEnd)
            {
                int size = st > 0 ? Math.Max(0, CeilDiv(eOff - bOff, st)) : Math.Max(0, CeilDiv(bOff - eOff, -st));
                starts[a] = size == 0 ? 0 : bOff;
                dims[a] = Dim.Of(size);
            }
            else if (st == 1 && !bEnd && bOff == 0 && eOff == 0) starts[a] = 0;
            else if (st == -1 && bEnd && bOff == -1 && eOff == -1) starts[a] = -1;
            else throw ShapeRules.Unrepresentable($"strided_slice: axis {a} of {s} is symbolic ({d}); with begin {(bm ? "(mask)" : begin[a].ToString(System.Globalization.CultureInfo.InvariantCulture))}, end {(em ? "(mask)" : end[a].ToString(System.Globalization.CultureInfo.InvariantCulture))} and stride {st} the result size depends on {d} and is not a single dimension; take the whole axis or a static-size window");
        }
        var window = Window(g, x, starts, steps, new Shape(dims));
        return shrunk.Count == 0 ? window : Reshape(g, window, new Shape(dims.Where((_, a) => !shrunk.Contains(a))));
    }

    /// <summary>Repeats x along each axis (<c>tf.tile</c>).</summary>
    public static Node Tile(GraphBuilder g, Node x, int[] multiples) =>
        multiples.Length == x.Shape.Rank && multiples.All(m => m == 1) ? x : g.Apply("tile", new[] { x }, Attrs.Of(("multiples", multiples)));

    /// <summary>Constant padding with flat (before, after) pairs per axis (<c>tf.pad</c>, mode CONSTANT).</summary>
    public static Node Pad(GraphBuilder g, Node x, int[] paddings, double value) =>
        paddings.Length == 2 * x.Shape.Rank && paddings.All(p => p == 0) ? x : g.Apply("pad", new[] { x }, Attrs.Of(("paddings", paddings), ("value", value)));

    /// <summary><c>tf.gather</c> along <paramref name="axis"/> (negative counts from the end).</summary>
    public static Node Gather(GraphBuilder g, Node @params, Node indices, int axis)
    {
        if (@params.Shape.Rank == 0) throw new ShapeException("gather: params must have rank ≥ 1, got a scalar");
        int a = ShapeRules.Axis(axis, @params.Shape.Rank, "gather");
        CheckConstantIndices(@params.Shape[a], indices, "gather");
        return g.Apply("gather", new[] { @params, indices }, Attrs.Of(("axis", a)));
    }

    /// <summary>Constant indices are checked while compiling (run-time indices are checked by the kernel).</summary>
    private static void CheckConstantIndices(Dim size, Node indices, string op)
    {
        if (indices.Op is not Constant || !size.IsStatic) return;
        var values = indices.Attrs.GetDoubles("value");
        for (int i = 0; i < values.Length; i++)
            if (values[i] < 0 || values[i] >= size.Size)
                throw new ShapeException($"{op}: index {values[i]} at position {i} is outside [0, {size.Size})");
    }

    /// <summary>
    /// <c>tf.nn.embedding_lookup</c>: rows of the table <paramref name="params"/> [V, …] at int32
    /// <paramref name="ids"/>; its gradient w.r.t. the table is a sparse_rows update.
    /// </summary>
    public static Node EmbeddingLookup(GraphBuilder g, Node @params, Node ids)
    {
        if (ids.DType != DType.Int32) throw new ShapeException($"embedding_lookup: ids must be int32, got {ids.DType.ShortName()}{ids.Shape}");
        if (@params.Shape.Rank == 0) throw new ShapeException("embedding_lookup: the table must have rank ≥ 1 ([vocabulary, dims]), got a scalar");
        CheckConstantIndices(@params.Shape[0], ids, "embedding_lookup");
        return g.Apply("gather", new[] { @params, ids }, Attrs.Of(("axis", 0)), "embedding_lookup");
    }

    /// <summary><c>tf.one_hot</c>; <paramref name="axis"/> -1 appends the new axis.</summary>
    public static Node OneHot(GraphBuilder g, Node indices, int depth, double on, double off, int axis, DType dtype)
    {
        int rank = indices.Shape.Rank;
        int a = axis < 0 ? axis + rank + 1 : axis;
        if (a < 0 || a > rank) throw new ShapeException($"one_hot: axis {axis} is out of range for indices of shape {indices.Shape} (valid: {-rank - 1}..{rank})");
        return g.Apply("one_hot", new[] { indices }, Attrs.Of(("depth", depth), ("axis", a), ("on", on), ("off", off), ("dtype", dtype)));
    }

    /// <summary>The numbers start, start+delta, … before limit (<c>tf.range</c>) as a constant of <paramref name="dtype"/>.</summary>
    public static Node Range(GraphBuilder g, double start, double limit, double delta, DType dtype)
    {
        if (delta == 0) throw new ShapeException("range: delta must not be 0");
        double steps = Math.Ceiling((limit - start) / delta);
        if (double.IsNaN(steps) || steps > MaxConstantElements)
            throw new ShapeException($"range: from {start} to {limit} by {delta} has more than {MaxConstantElements} elements; a range becomes a constant, so keep it small");
        int count = Math.Max(0, (int)steps);
        var values = Enumerable.Range(0, count).Select(i => start + i * delta).ToArray();
        return g.Constant(values, Shape.Of(count), dtype);
    }

    /// <summary><c>tf.fill</c>: a splat constant when small and static, else a fill filled at run time (any shape, symbolic too).</summary>
    public static Node Fill(GraphBuilder g, Shape shape, double value, DType dtype)
    {
        if (shape.IsStatic && shape.StaticElementCount <= MaxConstantElements && shape.StaticElementCount > 0)
            return g.Constant(new[] { value }, shape, dtype);
        return g.Apply("fill", Array.Empty<Node>(), Attrs.Of(("shape", shape), ("value", value), ("dtype", dtype)));
    }

    /// <summary>Zeros of x's shape and dtype: a broadcast scalar, so no gradient flows to x.</summary>
    public static Node ZerosLike(GraphBuilder g, Node x) => g.BroadcastLike(g.Constant(0, x.DType), x);

    /// <summary>Ones of x's shape and dtype: a broadcast scalar, so no gradient flows to x.</summary>
    public static Node OnesLike(GraphBuilder g, Node x) => g.BroadcastLike(g.Constant(1, x.DType), x);

    private static Node Reshape(GraphBuilder g, Node x, Shape shape) =>
        shape.Equals(x.Shape) ? x : g.Apply("reshape", new[] { x }, Attrs.Of(("shape", shape)));

    /// <summary>A stride-1 window of <paramref name="size"/> elements from <paramref name="begin"/> on one axis, the rest whole.</summary>
    private static Node Window(GraphBuilder g, Node x, int axis, int begin, int size)
    {
        var starts = new int[x.Shape.Rank];
        starts[axis] = size == 0 ? 0 : begin;
        return Window(g, x, starts, Enumerable.Repeat(1, x.Shape.Rank).ToArray(), new Shape(x.Shape.Select((d, a) => a == axis ? Dim.Of(size) : d)));
    }

    /// <summary>A strided_slice, or x itself when the window is all of x.</summary>
    private static Node Window(GraphBuilder g, Node x, int[] begin, int[] strides, Shape shape) =>
        shape.Equals(x.Shape) && begin.All(b => b == 0) && strides.All(s => s == 1) ? x : Ops.StridedSlice.Apply(g, x, begin, strides, shape);

    private static int CeilDiv(int a, int b) => a >= 0 ? (a + b - 1) / b : -(-a / b);
}
