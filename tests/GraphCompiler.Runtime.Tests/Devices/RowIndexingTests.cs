using GraphCompiler.Runtime.Tests.Kernels;

namespace GraphCompiler.Runtime.Tests.Devices;

[Collection(IlgpuCpuCollection.Name)]
public class RowIndexingTests(IlgpuCpuFixture fixture)
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(10, 3, 7)]
    [InlineData(5, 17, 12)]
    public void Gather_copies_the_indexed_rows(int tableRows, int width, int count)
    {
        var rng = new Random(tableRows + width * 7 + count * 13);
        var table = TestData.Floats(rng, tableRows * width);
        var indices = Enumerable.Range(0, count).Select(_ => rng.Next(tableRows)).ToArray();

        var output = Gather(table, tableRows, width, indices);

        for (int i = 0; i < count; i++)
            Assert.Equal(table.AsSpan(indices[i] * width, width).ToArray(), output.AsSpan(i * width, width).ToArray());
    }

    [Fact]
    public void Gather_of_an_out_of_range_index_gives_zeros_as_on_a_gpu_in_tensorflow()
    {
        Assert.Equal([3f, 4, 0, 0, 0, 0, 1, 2], Gather([1, 2, 3, 4], 2, 2, [1, 2, -1, 0]));
    }

    [Theory]
    [InlineData(1, 1, 5)]
    [InlineData(4, 3, 30)]
    [InlineData(7, 9, 11)]
    public void Scatter_add_accumulates_every_row_including_repeats(int tableRows, int width, int count)
    {
        var rng = new Random(tableRows * 3 + width + count * 17);
        var table = TestData.Floats(rng, tableRows * width);
        var rows = TestData.Floats(rng, count * width);
        // Few table rows and many updates: most rows repeat, which is what the atomics are for.
        var indices = Enumerable.Range(0, count).Select(_ => rng.Next(tableRows)).ToArray();
        var expected = table.Select(v => (double)v).ToArray();
        for (int i = 0; i < count; i++)
            for (int c = 0; c < width; c++) expected[indices[i] * width + c] += rows[i * width + c];

        var result = ScatterAdd(rows, indices, table, tableRows, width);

        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], result[i], 1e-5 * (count + 1));
    }

    [Fact]
    public void Scatter_add_drops_out_of_range_rows_and_empty_updates_change_nothing()
    {
        Assert.Equal([11f, 22, 3, 4], ScatterAdd([10, 20, 5, 5], [0, 2], [1, 2, 3, 4], 2, 2));
        Assert.Equal([1f, 2], ScatterAdd([], [], [1, 2], 1, 2));
    }

    private float[] Gather(float[] table, int tableRows, int width, int[] indices)
    {
        using var t = fixture.Upload(table);
        using var i = fixture.Upload(indices);
        using var o = fixture.Upload(new float[indices.Length * width]);
        fixture.Device.Rows.Gather(IlgpuCpuFixture.View(t, table.Length), tableRows, width, IlgpuCpuFixture.View(i, indices.Length), IlgpuCpuFixture.View(o, indices.Length * width));
        return fixture.Download(o, indices.Length * width);
    }

    private float[] ScatterAdd(float[] rows, int[] indices, float[] table, int tableRows, int width)
    {
        using var r = fixture.Upload(rows);
        using var i = fixture.Upload(indices);
        using var t = fixture.Upload(table);
        fixture.Device.Rows.ScatterAdd(IlgpuCpuFixture.View(r, rows.Length), IlgpuCpuFixture.View(i, indices.Length), IlgpuCpuFixture.View(t, table.Length), tableRows, width);
        return fixture.Download(t, table.Length);
    }
}
