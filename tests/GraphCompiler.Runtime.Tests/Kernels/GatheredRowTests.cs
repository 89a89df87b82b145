using GraphCompiler.Runtime.Execution;
using GraphCompiler.Runtime.Kernels;

namespace GraphCompiler.Runtime.Tests.Kernels;

/// <summary>Gathered dot products and weighted row sums against a naive double-precision reference.</summary>
public class GatheredRowTests
{
    // (rows, width, batch, ids per batch row): odd widths, width 1, one id per row, empty batch.
    public static TheoryData<int, int, int, int> Shapes() => new()
    {
        { 7, 5, 3, 4 }, { 10, 128, 6, 6 }, { 3, 1, 2, 3 }, { 4, 17, 1, 1 }, { 9, 33, 5, 1 }, { 5, 8, 0, 3 },
    };

    private static (float[] Table, int[] Ids, float[] Operand) Data(int rows, int width, int batch, int k, int seed)
    {
        var rng = new System.Random(seed);
        var ids = Enumerable.Range(0, batch * k).Select(_ => rng.Next(rows)).ToArray();
        return (TestData.Floats(rng, rows * width), ids, TestData.Floats(rng, batch * width));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void RowDots_match_the_reference(int rows, int width, int batch, int k)
    {
        var (table, ids, x) = Data(rows, width, batch, k, seed: rows * 31 + width);
        var output = new float[ids.Length];
        Gather.RowDots(table, width, ids, x, output);
        var generic = new double[ids.Length];
        CpuOps.GatherDot<double, int>(table.Select(v => (double)v).ToArray(), width, ids, x.Select(v => (double)v).ToArray(), generic);
        for (int i = 0; i < ids.Length; i++)
        {
            double expected = 0;
            for (int c = 0; c < width; c++) expected += (double)table[ids[i] * width + c] * x[i / k * width + c];
            Assert.Equal(expected, output[i], 1e-4);
            Assert.Equal(expected, generic[i], 1e-9);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void WeightedRowSums_match_the_reference(int rows, int width, int batch, int k)
    {
        var (table, ids, _) = Data(rows, width, batch, k, seed: rows * 17 + width);
        var weights = TestData.Floats(new System.Random(k), ids.Length);
        var output = Enumerable.Repeat(99f, batch * width).ToArray(); // overwritten, not accumulated into
        Gather.WeightedRowSums(table, width, ids, weights, output);
        var generic = new double[batch * width];
        CpuOps.GatherWeightedSum<double, int>(table.Select(v => (double)v).ToArray(), width, ids, weights.Select(v => (double)v).ToArray(), generic);
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < width; c++)
            {
                double expected = 0;
                for (int j = 0; j < k; j++) expected += (double)weights[b * k + j] * table[ids[b * k + j] * width + c];
                Assert.Equal(expected, output[b * width + c], 1e-4);
                Assert.Equal(expected, generic[b * width + c], 1e-9);
            }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void WeightedRowSums_onto_an_addend_match_the_reference_also_in_place(int rows, int width, int batch, int k)
    {
        var (table, ids, addend) = Data(rows, width, batch, k, seed: rows * 13 + width);
        var weights = TestData.Floats(new System.Random(k + 1), ids.Length);
        var output = Enumerable.Repeat(99f, batch * width).ToArray();
        Gather.WeightedRowSums(table, width, ids, weights, addend, output);
        var inPlace = (float[])addend.Clone();
        Gather.WeightedRowSums(table, width, ids, weights, inPlace, inPlace);
        var generic = new double[batch * width];
        CpuOps.GatherWeightedSum<double, int>(table.Select(v => (double)v).ToArray(), width, ids, weights.Select(v => (double)v).ToArray(), addend.Select(v => (double)v).ToArray(), generic);
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < width; c++)
            {
                double expected = addend[b * width + c];
                for (int j = 0; j < k; j++) expected += (double)weights[b * k + j] * table[ids[b * k + j] * width + c];
                Assert.Equal(expected, output[b * width + c], 1e-4);
                Assert.Equal(expected, inPlace[b * width + c], 1e-4);
                Assert.Equal(expected, generic[b * width + c], 1e-9);
            }
        Assert.Throws<ArgumentException>(() => Gather.WeightedRowSums(table, width, ids, weights, new float[batch * width + 1], output));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ScatterAddOuterRows_matches_the_materialised_outer_product(int rows, int width, int batch, int k)
    {
        var (table, ids, vec) = Data(rows, width, batch, k, seed: rows * 7 + width);
        var coef = TestData.Floats(new System.Random(width), ids.Length);
        var fused = (float[])table.Clone();
        Gather.ScatterAddOuterRows(coef, vec, width, ids, fused, -0.5f);
        // Reference: write the outer product out (the generic kernel), then the plain scatter.
        var outer = new float[ids.Length * width];
        CpuOps.RowOuter<float>(coef, vec, width, outer);
        var expected = (float[])table.Clone();
        CpuOps.ScatterScaledRows<float, int>(outer, width, ids, expected, -0.5f);
        for (int i = 0; i < ids.Length; i++)
            for (int c = 0; c < width; c++)
                Assert.Equal((double)coef[i] * vec[i / k * width + c], outer[i * width + c], 1e-6);
        for (int i = 0; i < table.Length; i++) Assert.Equal(expected[i], fused[i], 1e-5);
        var generic = table.Select(v => (double)v).ToArray();
        CpuOps.ScatterScaledOuterRows<double, int>(coef.Select(v => (double)v).ToArray(), vec.Select(v => (double)v).ToArray(), width, ids, generic, -0.5);
        for (int i = 0; i < table.Length; i++) Assert.Equal(expected[i], generic[i], 1e-5);
    }

    [Fact]
    public void ScatterAddOuterRows_with_a_bad_id_leaves_the_table_untouched()
    {
        var table = Enumerable.Range(0, 6).Select(i => (float)i).ToArray(); // 3 rows of 2
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Gather.ScatterAddOuterRows([1f, 1f], [1f, 1f], 2, [0, 3], table, 1f));
        Assert.Contains("ids[1] = 3", e.Message);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => (float)i), table);
    }

    [Fact]
    public void A_bad_id_names_the_id_and_its_position()
    {
        var table = new float[12]; // 4 rows of 3
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Gather.RowDots(table, 3, [0, 4], new float[6], new float[2]));
        Assert.Contains("ids[1] = 4", e.Message);
        var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => Gather.WeightedRowSums(table, 3, [-2, 0], new float[2], new float[3]));
        Assert.Contains("ids[0] = -2", e2.Message);
        Assert.Throws<ArgumentException>(() => Gather.RowDots(table, 3, [0, 1, 2], new float[6], new float[3])); // 3 ids over 2 rows
    }
}
