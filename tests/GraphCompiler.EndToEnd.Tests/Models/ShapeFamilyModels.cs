using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>
/// Every shape op over a symbolic batch n: embedding lookups (the table looked up three times, with
/// int32 and int64 ids), concat, split both ways, slice, stack, batched matmul, unstack, pad both
/// ways, strided slice with a negative stride, one-hot, gather with a range, tile, expand/squeeze,
/// zeros/ones-like and fill.
/// </summary>
[Model]
public partial class ShapeFamilyModel
{
    static Tensor Features(Tensor x, Tensor ids, Tensor labels)
    {
        using var _ = VariableScope("shapes", Reuse.Auto);
        var table = GetVariable("table", [7, 3], Init.RandomUniform(-1f, 1f));
        var w = GetVariable("w", [2, 5, 3], Init.RandomNormal(0f, 0.5f));
        var emb = EmbeddingLookup(table, ids);                                     // [n, 3]
        var joined = Concat([x, emb], 1);                                          // [n, 7]
        var parts = Split(joined, [2, -1], axis: 1);                               // [n, 2], [n, 5]
        var window = Slice(joined, [0, 1], [-1, 5]);                               // [n, 5]
        var stacked = Stack([parts[1], window], axis: 0);                          // [2, n, 5]
        var mixed = MatMul(stacked, w);                                            // [2, n, 3]
        var halves = Unstack(mixed);                                               // 2 × [n, 3]
        var second = EmbeddingLookup(table, labels);                               // [n, 3]
        var padded = Pad(halves[0] * second, [[0, 0], [1, 1]], 0.5f);             // [n, 5]
        var reversed = StridedSlice(padded, [0, -1], [0, 0], [1, -1], beginMask: 1, endMask: 3);
        var hot = OneHot(labels, 5, onValue: 2f, offValue: -1f);                   // [n, 5]; labels 5, 6 are all off
        var cols = Gather(halves[1], Range(2, -1, -1), axis: 1);                   // [n, 3], columns reversed
        var tiled = Tile(parts[0], [1, 2]);                                        // [n, 4]
        var quarters = Split(tiled, 2, axis: 1);                                   // 2 × [n, 2]
        var flat = Pad(quarters[1], [0, 0, 0, 1]);                                 // [n, 3]
        var column = Squeeze(ExpandDims(cols, 1), [1]) + flat + ZerosLike(flat) * 3f;
        var ones = OnesLike(column) + Fill([x.Shape[0], 3], 0.25f);
        return Concat([reversed * hot, column * ones], 1);                         // [n, 8]
    }

    static Tensor Picked(Tensor rows)
    {
        using var _ = VariableScope("shapes", Reuse.Auto);
        var table = GetVariable("table", [7, 3], Init.RandomUniform(-1f, 1f));
        return StridedSlice(Gather(table, rows), [1, 0], [0, 0], [-1, 2], beginMask: 0, endMask: 3); // [2, 2]
    }

    [Loss]
    static Tensor Loss([Shape("n", 4)] Tensor x, [Shape("n", DType = DType.Int32)] Tensor ids, [Shape("n", DType = DType.Int32)] Tensor labels,
        [Shape(2, DType = DType.Int64)] Tensor rows) =>
        ReduceMean(Square(Features(x, ids, labels) - 0.5f)) + ReduceSum(Square(Picked(rows)));

    [Output]
    static (Tensor, Tensor) Forward([Shape("n", 4)] Tensor x, [Shape("n", DType = DType.Int32)] Tensor ids, [Shape("n", DType = DType.Int32)] Tensor labels,
        [Shape(2, DType = DType.Int64)] Tensor rows) =>
        (Features(x, ids, labels), Picked(rows));
}

/// <summary>Batched matmul with broadcast batch axes and transposes, float32 (SIMD GEMM) and float64 (generic loop).</summary>
[Model]
public partial class BatchedMatMulModel
{
    [Loss]
    static Tensor Loss([Shape("n", 3, 4)] Tensor a, [Shape(2, 1, 5, 4)] Tensor b)
    {
        var w = Variable("w", [4, 3], Init.RandomNormal(0f, 0.5f));
        var v = Variable("v", [2, 1, 3, 4], Init.RandomNormal(0f, 0.5f));
        var ab = MatMul(a, b, transposeB: true);                  // [2, n, 3, 5]
        var aw = MatMul(w, a, transposeA: true, transposeB: true); // [n, 3, 3]
        var va = MatMul(v, a, transposeB: true);                  // [2, n, 3, 3]
        return ReduceSum(Square(ab)) / 10f + ReduceSum(aw * va);
    }
}
