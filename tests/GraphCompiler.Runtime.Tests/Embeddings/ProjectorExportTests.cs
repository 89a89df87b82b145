using GraphCompiler.Runtime.Embeddings;
using GraphCompiler.Runtime.Tests.Text;

namespace GraphCompiler.Runtime.Tests.Embeddings;

public class ProjectorExportTests
{
    [Fact]
    public void Writes_the_three_files_exactly()
    {
        using var dir = new TempDirectory();
        var matrix = new EmbeddingMatrix([0.5f, -1.25f, 1e-7f, 3f, 0.1f, 0f], vocabularySize: 3, dimension: 2);
        ProjectorExport.Write(dir.File("projector"), "embed_matrix", matrix, ["UNK", "tab\there", "line\nbreak\\"], [7, 3, 1]);

        Assert.Equal("0.5\t-1.25\n1E-07\t3\n0.1\t0\n", File.ReadAllText(dir.File("projector/vectors.tsv")));
        Assert.Equal("word\tfrequency\nUNK\t7\ntab\\there\t3\nline\\nbreak\\\\\t1\n", File.ReadAllText(dir.File("projector/metadata.tsv")));
        Assert.Equal(
            "embeddings { tensor_name: \"embed_matrix\" tensor_path: \"vectors.tsv\" metadata_path: \"metadata.tsv\" }\n",
            File.ReadAllText(dir.File("projector/projector_config.pbtxt")));
        // No byte-order mark: TensorBoard would read it as part of the first value.
        Assert.Equal((byte)'0', File.ReadAllBytes(dir.File("projector/vectors.tsv"))[0]);
    }

    [Fact]
    public void Floats_round_trip_and_ignore_the_current_culture()
    {
        using var dir = new TempDirectory();
        var values = new[] { 0.1f, 1f / 3, -123456.79f, float.Epsilon };
        var saved = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            ProjectorExport.Write(dir.Path, "t", new EmbeddingMatrix(values, 1, 4), ["w"], [1]);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = saved;
        }
        var cells = File.ReadAllText(dir.File("vectors.tsv")).TrimEnd('\n').Split('\t');
        Assert.Equal(values, cells.Select(c => float.Parse(c, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Tensor_name_is_quoted_and_mismatched_metadata_is_rejected()
    {
        using var dir = new TempDirectory();
        var matrix = new EmbeddingMatrix([1, 2], 2, 1);
        ProjectorExport.Write(dir.Path, "say \"hi\"", matrix, ["a", "b"], [1, 1]);
        Assert.Contains("tensor_name: \"say \\\"hi\\\"\"", File.ReadAllText(dir.File("projector_config.pbtxt")));

        Assert.Throws<ArgumentException>(() => ProjectorExport.Write(dir.Path, "t", matrix, ["a"], [1, 1]));
        Assert.Throws<ArgumentException>(() => ProjectorExport.Write(dir.Path, "t", matrix, ["a", "b"], [1]));
    }
}
