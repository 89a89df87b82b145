using GraphCompiler.Runtime.Execution;
using GraphCompiler.Runtime.Tests.Kernels;

namespace GraphCompiler.Runtime.Tests.Devices;

/// <summary>
/// The device library's gathered-row ops (word2vec's gather_dot, gather_weighted_sum, row_outer and the
/// sparse gradient-descent scatters) against the CPU kernels: several ids per batch row, repeated ids
/// (atomics accumulate), width 1 and odd widths, empty batches.
/// </summary>
[Collection(IlgpuCpuCollection.Name)]
public class DeviceGatheredRowsTests(IlgpuCpuFixture fixture)
{
    private const double Tolerance = 1e-5;

    public static TheoryData<int, int, int, int> Shapes() => new()
    {
        // table rows, width, batch rows, ids per batch row
        { 11, 5, 3, 4 },
        { 1, 1, 1, 1 },
        { 7, 17, 2, 1 },
        { 4, 3, 5, 6 },
        { 6, 8, 0, 3 },
    };

    private static int[] Ids(Random rng, int count, int rows) => Enumerable.Range(0, count).Select(_ => rng.Next(rows)).ToArray();

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gather_dot_and_weighted_sum_match_the_cpu(int rows, int width, int batch, int k)
    {
        var rng = new Random(rows * 100 + width * 10 + batch);
        var table = TestData.Floats(rng, rows * width);
        var ids = Ids(rng, batch * k, rows);
        var x = TestData.Floats(rng, batch * width);
        var weights = TestData.Floats(rng, batch * k);
        var addend = TestData.Floats(rng, batch * width);
        var dots = new float[ids.Length];
        CpuOps.GatherDot<float, int>(table, width, ids, x, dots);
        var sums = new float[batch * width];
        CpuOps.GatherWeightedSum<float, int>(table, width, ids, weights, sums);
        var sumsPlus = new float[batch * width];
        CpuOps.GatherWeightedSum<float, int>(table, width, ids, weights, addend, sumsPlus);

        using var dTable = fixture.Upload(table);
        using var dIds = fixture.Upload(ids);
        using var dx = fixture.Upload(x);
        using var dWeights = fixture.Upload(weights);
        using var dAddend = fixture.Upload(addend);
        using var dDots = fixture.Upload(new float[dots.Length]);
        using var dSums = fixture.Upload(new float[sums.Length]);
        using var dSumsPlus = fixture.Upload(new float[sums.Length]);
        var library = fixture.Device.Library;
        var tableView = IlgpuCpuFixture.View(dTable, table.Length);
        var idView = IlgpuCpuFixture.View(dIds, ids.Length);
        library.GatherDot(tableView, width, idView, IlgpuCpuFixture.View(dx, x.Length), IlgpuCpuFixture.View(dDots, dots.Length));
        library.GatherWeightedSum(tableView, width, idView, IlgpuCpuFixture.View(dWeights, weights.Length), default, IlgpuCpuFixture.View(dSums, sums.Length));
        library.GatherWeightedSum(tableView, width, idView, IlgpuCpuFixture.View(dWeights, weights.Length), IlgpuCpuFixture.View(dAddend, addend.Length), IlgpuCpuFixture.View(dSumsPlus, sums.Length));
        AssertClose(dots, fixture.Download(dDots, dots.Length), width, "gather_dot");
        AssertClose(sums, fixture.Download(dSums, sums.Length), k, "gather_weighted_sum");
        AssertClose(sumsPlus, fixture.Download(dSumsPlus, sums.Length), k + 1, "gather_weighted_sum with addend");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Row_outer_and_the_descent_scatters_match_the_cpu(int rows, int width, int batch, int k)
    {
        var rng = new Random(rows * 7 + width * 3 + batch * k);
        var coef = TestData.Floats(rng, batch * k);
        var vec = TestData.Floats(rng, batch * width);
        var ids = Ids(rng, batch * k, rows);
        var table = TestData.Floats(rng, rows * width);
        const float lr = 0.3f;
        var outer = new float[coef.Length * width];
        CpuOps.RowOuter<float>(coef, vec, width, outer);
        var afterOuter = (float[])table.Clone();
        CpuOps.ScatterScaledOuterRows<float, int>(coef, vec, width, ids, afterOuter, -lr);
        var afterRows = (float[])table.Clone();
        CpuOps.ScatterScaledRows<float, int>(outer, width, ids, afterRows, -lr);

        using var dCoef = fixture.Upload(coef);
        using var dVec = fixture.Upload(vec);
        using var dIds = fixture.Upload(ids);
        using var dOuter = fixture.Upload(new float[outer.Length]);
        using var dTable1 = fixture.Upload(table);
        using var dTable2 = fixture.Upload(table);
        using var dLr = fixture.Upload(new[] { lr });
        var library = fixture.Device.Library;
        var coefView = IlgpuCpuFixture.View(dCoef, coef.Length);
        var vecView = IlgpuCpuFixture.View(dVec, vec.Length);
        var idView = IlgpuCpuFixture.View(dIds, ids.Length);
        var lrView = IlgpuCpuFixture.View(dLr, 1);
        library.RowOuter(coefView, vecView, width, IlgpuCpuFixture.View(dOuter, outer.Length));
        library.ScatterOuterRowsDescent(coefView, vecView, width, idView, IlgpuCpuFixture.View(dTable1, table.Length), lrView);
        library.ScatterRowsDescent(IlgpuCpuFixture.View(dOuter, outer.Length), width, idView, IlgpuCpuFixture.View(dTable2, table.Length), lrView);
        Assert.Equal(outer, fixture.Download(dOuter, outer.Length));
        AssertClose(afterOuter, fixture.Download(dTable1, table.Length), k * batch, "outer-rows descent");
        AssertClose(afterRows, fixture.Download(dTable2, table.Length), k * batch, "rows descent");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Sparse_rows_scatter_adds_int32_and_int64_ids_as_the_cpu_does(int rows, int width, int batch, int k)
    {
        var rng = new Random(rows + width * 5 + batch * 11 + k);
        var ids = Ids(rng, batch * k, rows);
        var values = TestData.Floats(rng, ids.Length * width);
        var expected = new float[rows * width];
        CpuOps.ScatterAddRows<float, int>(values, width, ids, expected);

        using var dValues = fixture.Upload(values);
        using var dIds = fixture.Upload(ids);
        using var dLongIds = fixture.Upload(ids.Select(i => (long)i).ToArray());
        using var dTable = fixture.Upload(new float[expected.Length]);
        using var dTable64 = fixture.Upload(new float[expected.Length]);
        var valueView = IlgpuCpuFixture.View(dValues, values.Length);
        fixture.Device.Library.ScatterAddRows(valueView, width, IlgpuCpuFixture.View(dIds, ids.Length), IlgpuCpuFixture.View(dTable, expected.Length));
        fixture.Device.Library.ScatterAddRows(valueView, width, IlgpuCpuFixture.View(dLongIds, ids.Length), IlgpuCpuFixture.View(dTable64, expected.Length));
        AssertClose(expected, fixture.Download(dTable, expected.Length), ids.Length, "int32 ids");
        AssertClose(expected, fixture.Download(dTable64, expected.Length), ids.Length, "int64 ids");

        // Gradient descent on the same rows with int64 ids: table −= lr · values, so a zero table becomes −lr times the sums.
        using var dLr = fixture.Upload(new[] { 2f });
        fixture.Device.Library.ScatterRowsDescent(valueView, width, IlgpuCpuFixture.View(dLongIds, ids.Length), IlgpuCpuFixture.View(dTable64, expected.Length), IlgpuCpuFixture.View(dLr, 1));
        AssertClose(expected.Select(v => -v).ToArray(), fixture.Download(dTable64, expected.Length), 2 * ids.Length, "int64 descent");
    }

    [Fact]
    public void Ids_outside_the_table_read_zeros_and_update_nothing()
    {
        float[] table = [1, 2, 3, 4];
        int[] ids = [1, 2, -1];
        using var dTable = fixture.Upload(table);
        using var dIds = fixture.Upload(ids);
        using var dx = fixture.Upload(new float[] { 1, 1, 1, 1, 1, 1 });
        using var dDots = fixture.Upload(new float[3]);
        using var dLr = fixture.Upload(new[] { 1f });
        var tableView = IlgpuCpuFixture.View(dTable, 4);
        fixture.Device.Library.GatherDot(tableView, 2, IlgpuCpuFixture.View(dIds, 3), IlgpuCpuFixture.View(dx, 6), IlgpuCpuFixture.View(dDots, 3));
        Assert.Equal([7f, 0f, 0f], fixture.Download(dDots, 3));
        fixture.Device.Library.ScatterRowsDescent(IlgpuCpuFixture.View(dx, 6), 2, IlgpuCpuFixture.View(dIds, 3), tableView, IlgpuCpuFixture.View(dLr, 1));
        Assert.Equal([1f, 2f, 2f, 3f], fixture.Download(dTable, 4));
    }

    private static void AssertClose(float[] expected, float[] actual, int terms, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        // Sums of up to `terms` products of values in [-1, 1]: the order (SIMD on the CPU, atomics here) moves the last bits.
        double tolerance = Tolerance * (terms + 2);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])), $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
    }
}
