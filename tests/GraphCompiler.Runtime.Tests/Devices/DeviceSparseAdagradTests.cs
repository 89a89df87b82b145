using GraphCompiler.Runtime.Execution;
using GraphCompiler.Runtime.Tests.Kernels;

namespace GraphCompiler.Runtime.Tests.Devices;

/// <summary>
/// Sparse Adagrad on the device sorts the (id, position) keys and sums each id's rows in position order, as
/// the CPU path does: the summed gradients agree bit for bit at any batch size, repeated ids included.
/// </summary>
[Collection(IlgpuCpuCollection.Name)]
public class DeviceSparseAdagradTests(IlgpuCpuFixture fixture)
{
    private const int Rows = 37;

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(5000, 3)]
    [InlineData(301, 1)]
    public void Summed_gradients_match_the_cpu_bit_for_bit(int count, int rowLength)
    {
        var (values, ids) = Batch(new Random(count + rowLength), count, rowLength);
        // From a zero accumulator the accumulated value is G² rounded once on both paths, so equal bits mean
        // equal sums G: the same terms added in the same order.
        var cpu = new float[Rows * rowLength];
        CpuOps.SparseAdagradAccumulate<float, int>(values, rowLength, ids, cpu);
        var device = RunAccumulate(values, ids, new float[Rows * rowLength], rowLength);
        for (int e = 0; e < cpu.Length; e++)
            Assert.True(BitConverter.SingleToInt32Bits(cpu[e]) == BitConverter.SingleToInt32Bits(device[e]), $"element {e}: device {device[e]:R}, CPU {cpu[e]:R}");
    }

    [Fact]
    public void The_update_matches_the_cpu_and_leaves_untouched_rows()
    {
        const int rowLength = 4, count = 2000;
        var rng = new Random(11);
        var (values, ids) = Batch(rng, count, rowLength);
        for (int p = 0; p < ids.Length; p++) if (ids[p] == 5) ids[p] = 6; // row 5 stays untouched
        var table = TestData.Floats(rng, Rows * rowLength);
        var accumulator = TestData.Floats(rng, Rows * rowLength).Select(Math.Abs).ToArray();
        var cpuTable = (float[])table.Clone();
        CpuOps.SparseAdagrad<float, int>(values, rowLength, ids, accumulator, cpuTable, 0.05f);

        using var v = fixture.Upload(values);
        using var i = fixture.Upload(ids);
        using var a = fixture.Upload(accumulator);
        using var t = fixture.Upload(table);
        using var lr = fixture.Upload(new[] { 0.05f });
        fixture.Device.Library.SparseAdagrad(IlgpuCpuFixture.View(v, values.Length), rowLength, IlgpuCpuFixture.View(i, ids.Length),
            IlgpuCpuFixture.View(a, accumulator.Length), IlgpuCpuFixture.View(t, table.Length), IlgpuCpuFixture.View(lr, 1));
        var deviceTable = fixture.Download(t, table.Length);
        for (int e = 0; e < table.Length; e++)
            Assert.Equal(cpuTable[e], deviceTable[e], Math.Abs(cpuTable[e]) * 1e-6f + 1e-7f);
        Assert.Equal(table.AsSpan(5 * rowLength, rowLength).ToArray(), deviceTable.AsSpan(5 * rowLength, rowLength).ToArray());
    }

    [Fact]
    public void Ids_outside_the_table_are_dropped_on_the_device()
    {
        float[] values = [1, 2, 3, 4];
        int[] ids = [-1, 2, Rows, 2];
        var accumulator = RunAccumulate(values, ids, new float[Rows], rowLength: 1);
        Assert.Equal(36f, accumulator[2]); // (2 + 4)²
        Assert.Equal(36f, accumulator.Sum());
    }

    private float[] RunAccumulate(float[] values, int[] ids, float[] accumulator, int rowLength)
    {
        using var v = fixture.Upload(values);
        using var i = fixture.Upload(ids);
        using var a = fixture.Upload(accumulator);
        fixture.Device.Library.SparseAdagradAccumulate(IlgpuCpuFixture.View(v, values.Length), rowLength, IlgpuCpuFixture.View(i, ids.Length), IlgpuCpuFixture.View(a, accumulator.Length));
        return fixture.Download(a, accumulator.Length);
    }

    // Values of very different sizes, so that adding them in another order would change the float sums.
    private static (float[] Values, int[] Ids) Batch(Random rng, int count, int rowLength)
    {
        var values = Enumerable.Range(0, count * rowLength).Select(_ => (float)((rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-3, 6)))).ToArray();
        var ids = Enumerable.Range(0, count).Select(_ => rng.Next(Rows)).ToArray();
        return (values, ids);
    }
}
