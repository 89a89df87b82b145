using GraphCompiler.Runtime.Embeddings;

namespace GraphCompiler.Runtime.Tests.Embeddings;

public class EmbeddingMatrixTests
{
    [Fact]
    public void Rows_are_views_of_the_array()
    {
        var data = new float[] { 1, 2, 3, 4, 5, 6 };
        var matrix = new EmbeddingMatrix(data, vocabularySize: 3, dimension: 2);
        Assert.Equal([3f, 4f], matrix.Row(1).ToArray());
        data[2] = 9;
        Assert.Equal(9f, matrix.Row(1)[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Row(3).ToArray());
    }

    [Fact]
    public void Normalized_copy_has_unit_rows_and_leaves_zero_rows_and_the_original_alone()
    {
        var data = new float[] { 3, 4, 0, 0, -2, 0 };
        var unit = new EmbeddingMatrix(data, 3, 2).Normalized();
        Assert.Equal([0.6f, 0.8f, 0f, 0f, -1f, 0f], unit.Data);
        Assert.Equal([3f, 4f, 0f, 0f, -2f, 0f], data);
    }

    [Fact]
    public void Shape_must_match_the_array()
    {
        var e = Assert.Throws<ArgumentException>(() => new EmbeddingMatrix(new float[10], 3, 4));
        Assert.Contains("[3, 4]", e.Message);
        Assert.Contains("12", e.Message);
    }
}
