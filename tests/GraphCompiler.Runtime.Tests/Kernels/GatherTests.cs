using GraphCompiler.Runtime.Kernels;

namespace GraphCompiler.Runtime.Tests.Kernels;

public class GatherTests
{
    [Fact]
    public void Rows_copies_the_selected_rows_in_order()
    {
        var table = Enumerable.Range(0, 12).Select(i => (float)i).ToArray(); // 4 rows of 3
        var output = new float[9];
        Gather.Rows(table, 3, [2, 0, 2], output);
        Assert.Equal(new float[] { 6, 7, 8, 0, 1, 2, 6, 7, 8 }, output);
    }

    [Fact]
    public void Bad_id_names_the_id_and_its_position()
    {
        var table = new float[12];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Gather.Rows(table, 3, [1, 4, 0], new float[9]));
        Assert.Contains("ids[1] = 4", e.Message);
        Assert.Contains("4 rows", e.Message);
        var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => Gather.Rows(table, 3, [-1], new float[3]));
        Assert.Contains("ids[0] = -1", e2.Message);
        Assert.Throws<ArgumentException>(() => Gather.Rows(new float[10], 3, [0], new float[3]));
        Assert.Throws<ArgumentException>(() => Gather.Rows(table, 3, [0], new float[4]));
    }

    [Fact]
    public void ScatterAddRows_accumulates_duplicates_and_scales()
    {
        var table = new float[8]; // 4 rows of 2
        table[0] = 1f;
        float[] rows = [1, 2, 10, 20, 100, 200];
        Gather.ScatterAddRows(rows, 2, [0, 3, 0], table, -0.5f);
        Assert.Equal(new float[] { 1 - 0.5f - 50f, -1f - 100f, 0, 0, 0, 0, -5f, -10f }, table);
    }

    [Fact]
    public void ScatterAddRows_with_a_bad_id_leaves_the_table_untouched()
    {
        var table = new float[4];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Gather.ScatterAddRows([1, 1, 1, 1], 2, [0, 2], table, 1f));
        Assert.Contains("ids[1] = 2", e.Message);
        Assert.Equal(new float[4], table);
    }

    [Fact]
    public void Gather_then_scatter_of_the_gradient_matches_a_dense_reference()
    {
        var rng = new System.Random(4);
        int vocab = 50, dim = 7;
        var ids = Enumerable.Range(0, 30).Select(_ => rng.Next(vocab)).ToArray();
        var grad = TestData.Floats(rng, ids.Length * dim);
        var table = new float[vocab * dim];
        Gather.ScatterAddRows(grad, dim, ids, table, 1f);
        var dense = new double[vocab * dim];
        for (int i = 0; i < ids.Length; i++) for (int j = 0; j < dim; j++) dense[ids[i] * dim + j] += grad[i * dim + j];
        for (int i = 0; i < dense.Length; i++) Assert.Equal(dense[i], table[i], 1e-5);
    }
}
