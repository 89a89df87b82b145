using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using ShapeOps = GraphCompiler.Compiler.Ops.Composites.Shapes;
using Case = GraphCompiler.Compiler.Tests.Ops.OpTableTests.Case;

namespace GraphCompiler.Compiler.Tests.Ops.Shapes;

/// <summary>Finite-difference gradient rows of the shape family (primitives and the composites built on them).</summary>
public class ShapeOpTableTests
{
    private static Node Ids(GraphBuilder b, int[] shape, params int[] ids) => b.Constant(ids.Select(i => (double)i).ToArray(), Shape.Of(shape), DType.Int32);

    private static Node Mm(GraphBuilder b, Node[] x, bool ta = false, bool tb = false) => b.Apply("matmul", x, MatMul.Flags(ta, tb));

    private static int[] S(params int[] dims) => dims;

    public static readonly Case[] Cases =
    {
        new("concat_axis0", new[] { S(2, 3), S(1, 3) }, (b, x) => ShapeOps.Concat(b, x, 0)),
        new("concat_axis_last_three", new[] { S(2, 1), S(2, 3), S(2, 2) }, (b, x) => ShapeOps.Concat(b, x, -1)),
        new("concat_empty_part", new[] { S(0, 3), S(2, 3) }, (b, x) => ShapeOps.Concat(b, x, 0)),
        new("concat_same_input_twice", new[] { S(3) }, (b, x) => ShapeOps.Concat(b, new[] { x[0], x[0] }, 0)),
        new("stack_axis1", new[] { S(2, 3), S(2, 3) }, (b, x) => ShapeOps.Stack(b, x, 1)),
        new("unstack_middle_used_once", new[] { S(2, 3, 2) }, (b, x) => ShapeOps.Unstack(b, x[0], 1)[2]),
        new("split_sizes_rest", new[] { S(5, 2) }, (b, x) => b.Mul(ShapeOps.Split(b, x[0], new[] { 1, -1 }, 0)[1], ShapeOps.Split(b, x[0], 5, 0)[4])),
        new("strided_slice", new[] { S(5, 4) }, (b, x) => StridedSlice.Apply(b, x[0], new[] { 1, 0 }, new[] { 2, 1 }, Shape.Of(2, 4))),
        new("strided_slice_negative_stride", new[] { S(3, 5) }, (b, x) => ShapeOps.StridedSlice(b, x[0], new[] { 0, -1 }, new[] { 0, 0 }, new[] { 1, -2 }, beginMask: 1, endMask: 1, shrinkAxisMask: 0)),
        new("strided_slice_shrink", new[] { S(3, 4) }, (b, x) => ShapeOps.StridedSlice(b, x[0], new[] { -1 }, new[] { 0 }, new[] { 1 }, 0, 0, shrinkAxisMask: 1)),
        new("slice_size1", new[] { S(4, 1) }, (b, x) => ShapeOps.Slice(b, x[0], new[] { 3, 0 }, new[] { 1, -1 })),
        new("strided_slice_grad", new[] { S(2, 2) }, (b, x) => b.Apply("strided_slice_grad", x, Attrs.Of(("begin", new[] { 0, -1 }), ("strides", new[] { 2, -2 }), ("shape", Shape.Of(3, 4))))),
        new("pad", new[] { S(2, 3) }, (b, x) => ShapeOps.Pad(b, x[0], new[] { 1, 0, 2, 1 }, 0.5)),
        new("tile", new[] { S(2, 3) }, (b, x) => ShapeOps.Tile(b, x[0], new[] { 2, 3 })),
        new("tile_odd_rank3", new[] { S(1, 3, 1) }, (b, x) => ShapeOps.Tile(b, x[0], new[] { 3, 1, 2 })),
        new("gather_axis0_duplicates", new[] { S(4, 3) }, (b, x) => ShapeOps.Gather(b, x[0], Ids(b, S(5), 3, 0, 3, 1, 3), 0)),
        new("gather_axis1_matrix_indices", new[] { S(2, 4, 3) }, (b, x) => ShapeOps.Gather(b, x[0], Ids(b, S(2, 2), 1, 3, 1, 0), 1)),
        new("gather_rank1", new[] { S(5) }, (b, x) => ShapeOps.Gather(b, x[0], Ids(b, S(3), 4, 4, 0), -1)),
        new("embedding_lookup_twice", new[] { S(6, 3) }, (b, x) => b.Add(ShapeOps.EmbeddingLookup(b, x[0], Ids(b, S(4), 5, 1, 1, 0)), ShapeOps.EmbeddingLookup(b, x[0], Ids(b, S(4), 1, 2, 3, 5)))),
        new("sparse_rows_two_parts", new[] { S(3, 2), S(2, 2), S(4, 2) }, (b, x) => SparseRows.Apply(b, new[] { (x[0], Ids(b, S(3), 1, 3, 1)), (x[1], Ids(b, S(2), 0, 1)) }, x[2]), Wrt: new[] { 0, 1 }),
        new("matmul_batched", new[] { S(2, 3, 4), S(2, 4, 5) }, (b, x) => Mm(b, x)),
        new("matmul_batched_broadcast", new[] { S(2, 1, 3, 4), S(3, 4, 2) }, (b, x) => Mm(b, x)),
        new("matmul_batched_times_matrix_ta", new[] { S(3, 4, 2), S(4, 5) }, (b, x) => Mm(b, x, ta: true)),
        new("matmul_batched_tb_size1", new[] { S(1, 2, 3), S(4, 1, 3) }, (b, x) => Mm(b, x, tb: true)),
        new("matmul_matrix_times_batched_ta_tb", new[] { S(3, 2), S(2, 4, 3) }, (b, x) => Mm(b, x, ta: true, tb: true)),
    };

    public static IEnumerable<object[]> CaseNames => Cases.Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void GradientMatchesFiniteDifferences(string name) => OpTableTests.CheckGradient(Cases.Single(k => k.Name == name));
}
