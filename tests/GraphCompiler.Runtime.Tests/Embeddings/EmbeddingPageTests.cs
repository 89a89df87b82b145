using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using GraphCompiler.Runtime.Embeddings;
using GraphCompiler.Runtime.Tests.Text;

namespace GraphCompiler.Runtime.Tests.Embeddings;

public class EmbeddingPageTests
{
    private const int PerCluster = 40;
    private static readonly TsneOptions QuickTsne = new() { Iterations = 300 };

    [Fact]
    public void Page_is_well_formed_and_holds_words_projections_and_neighbours()
    {
        using var dir = new TempDirectory();
        var (matrix, words) = TwoTopics();
        var path = Path.Combine(dir.Path, "run", EmbeddingPage.FileName);

        EmbeddingPage.Write(path, matrix, words, maxPoints: 1000, neighbours: 5, tsne: QuickTsne, title: "Topics <a & b>");

        var page = ParseXml(path);
        XNamespace html = "http://www.w3.org/1999/xhtml";
        Assert.Equal("Topics <a & b>", page.Descendants(html + "title").Single().Value);
        Assert.Single(page.Descendants(html + "canvas"));
        Assert.Contains(page.Descendants(html + "input"), input => (string?)input.Attribute("id") == "search");
        // No external resources: nothing is loaded from anywhere.
        Assert.DoesNotContain(page.Descendants(), e => e.Attribute("src") is not null || e.Attribute("href") is not null);

        using var data = JsonDocument.Parse(page.Descendants(html + "script").Single(s => (string?)s.Attribute("id") == "embedding-data").Value);
        var root = data.RootElement;
        // UNK (row 0) and the zero row are left out; the rest keep their id order.
        var expectedRows = Enumerable.Range(1, words.Length - 1).Where(id => id != 7).ToArray();
        Assert.Equal(expectedRows.Select(id => words[id]), root.GetProperty("words").EnumerateArray().Select(w => w.GetString()));

        var pca = root.GetProperty("pca").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        var expectedPca = Projection.Pca(matrix.Normalized(), expectedRows);
        Assert.Equal(expectedPca.Length, pca.Length);
        for (int k = 0; k < pca.Length; k++) Assert.Equal(expectedPca[k], pca[k], 1e-4);
        var tsne = root.GetProperty("tsne").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        var expectedTsne = Projection.Tsne(matrix.Normalized(), expectedRows, QuickTsne);
        for (int k = 0; k < tsne.Length; k++) Assert.Equal(expectedTsne[k], tsne[k], Math.Abs(expectedTsne[k]) * 1e-5 + 1e-6);

        // Each word's listed neighbours are the 5 most similar plotted words: all from its own topic.
        var neighbours = root.GetProperty("neighbours").EnumerateArray().Select(list => list.EnumerateArray().Select(j => j.GetInt32()).ToArray()).ToArray();
        var plotted = root.GetProperty("words").EnumerateArray().Select(w => w.GetString()!).ToArray();
        Assert.Equal(plotted.Length, neighbours.Length);
        for (int i = 0; i < plotted.Length; i++)
        {
            Assert.Equal(5, neighbours[i].Length);
            Assert.All(neighbours[i], j => Assert.Equal(plotted[i][0], plotted[j][0]));
        }
        var similarities = root.GetProperty("similarities")[0].EnumerateArray().Select(s => s.GetDouble()).ToArray();
        Assert.Equal(similarities.OrderByDescending(s => s), similarities);
    }

    [Fact]
    public void Page_plots_at_most_max_points_of_the_most_frequent_words()
    {
        using var dir = new TempDirectory();
        var (matrix, words) = TwoTopics();
        var path = dir.File(EmbeddingPage.FileName);
        EmbeddingPage.Write(path, matrix, words, maxPoints: 12, tsne: QuickTsne);
        using var data = JsonDocument.Parse(ParseXml(path).Descendants().Single(e => (string?)e.Attribute("id") == "embedding-data").Value);
        var plotted = data.RootElement.GetProperty("words").EnumerateArray().Select(w => w.GetString()).ToArray();
        Assert.Equal(words.Skip(1).Where((_, i) => i + 1 != 7).Take(12), plotted);
        Assert.Equal(24, data.RootElement.GetProperty("tsne").GetArrayLength());
    }

    [Fact]
    public void Page_rejects_bad_input_with_a_clear_message()
    {
        using var dir = new TempDirectory();
        var path = dir.File(EmbeddingPage.FileName);
        var matrix = new EmbeddingMatrix([1, 0, 0, 1, float.NaN, 1], 3, 2);
        Assert.Contains("row 2 ('c')", Assert.Throws<ArgumentException>(() => EmbeddingPage.Write(path, matrix, ["a", "b", "c"])).Message);
        Assert.Contains("2 words", Assert.Throws<ArgumentException>(() => EmbeddingPage.Write(path, matrix, ["a", "b"])).Message);
        var onlyUnk = new EmbeddingMatrix([1, 0, 0, 0], 2, 2);
        Assert.Contains("plottable", Assert.Throws<ArgumentException>(() => EmbeddingPage.Write(path, onlyUnk, ["UNK", "zero"])).Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Chromium_draws_the_points_and_highlights_a_searched_word()
    {
        using var dir = new TempDirectory();
        var (matrix, words) = TwoTopics();
        var path = dir.File(EmbeddingPage.FileName);
        EmbeddingPage.Write(path, matrix, words, tsne: QuickTsne);
        var url = new Uri(path).AbsoluteUri;

        foreach (var view in new[] { "tsne", "pca" })
        {
            var plain = PngImage.Decode(HeadlessChromium.Screenshot(url + "#view=" + view, 1000, 800));
            Assert.Equal((1000, 800), (plain.Width, plain.Height));
            // The plot is everything below the 40-pixel header bar.
            var (left, top, right, bottom) = (0, 45, plain.Width, plain.Height);
            int background = plain.Count(left, top, right, bottom, (255, 255, 255), 0);
            int points = plain.Count(left, top, right, bottom, Rgb(EmbeddingPageTemplate.PointColour), 8);
            // 79 dots of radius 3 cover ~20 fully coloured pixels each unless they overlap; two tight
            // clusters overlap a lot, so ask for a clear fraction of that, and for a mostly white canvas.
            Assert.True(points > 150, $"{view}: only {points} point-coloured pixels in the plot");
            Assert.True(background > (right - left) * (bottom - top) / 2, $"{view}: only {background} background pixels");
            Assert.Equal(0, plain.Count(left, top, right, bottom, Rgb(EmbeddingPageTemplate.SelectedColour), 8));
            // The two topics are drawn apart: the dots span most of the plot's width or height.
            var (minX, maxX, minY, maxY) = Extent(plain, Rgb(EmbeddingPageTemplate.PointColour), top);
            Assert.True(maxX - minX > 500 || maxY - minY > 400, $"{view}: points span only x {minX}..{maxX}, y {minY}..{maxY}");

            // Upper case on purpose: the search ignores case.
            var searched = PngImage.Decode(HeadlessChromium.Screenshot(url + "#view=" + view + "&word=A4", 1000, 800));
            Assert.True(searched.Count(left, top, right, bottom, Rgb(EmbeddingPageTemplate.SelectedColour), 8) > 40, $"{view}: the searched word is not highlighted");
            Assert.True(searched.Count(left, top, right, bottom, Rgb(EmbeddingPageTemplate.NeighbourColour), 8) > 100, $"{view}: its neighbours are not highlighted");
        }
    }

    // Two topics of 40 words each ("a…", "b…") around orthogonal directions, after UNK; row 7 (a3) is zero.
    private static (EmbeddingMatrix Matrix, string[] Words) TwoTopics()
    {
        var planted = PlantedEmbeddings.Clusters(clusters: 2, perCluster: PerCluster, dimension: 32, noise: 0.3, seed: 21);
        var data = new float[(2 * PerCluster + 1) * 32];
        var words = new string[2 * PerCluster + 1];
        words[0] = "UNK";
        Array.Fill(data, 0.5f, 0, 32);
        // Interleave the topics so that both are among the most frequent words.
        for (int i = 0; i < 2 * PerCluster; i++)
        {
            int source = i % 2 == 0 ? i / 2 : PerCluster + i / 2;
            planted.Row(source).CopyTo(data.AsSpan((i + 1) * 32, 32));
            words[i + 1] = (source < PerCluster ? "a" : "b") + (source % PerCluster);
        }
        Array.Clear(data, 7 * 32, 32);
        return (new EmbeddingMatrix(data, words.Length, 32), words);
    }

    private static XDocument ParseXml(string path)
    {
        using var reader = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    private static (byte, byte, byte) Rgb(string hex) =>
        (Convert.ToByte(hex.Substring(1, 2), 16), Convert.ToByte(hex.Substring(3, 2), 16), Convert.ToByte(hex.Substring(5, 2), 16));

    private static (int MinX, int MaxX, int MinY, int MaxY) Extent(PngImage image, (byte R, byte G, byte B) colour, int top)
    {
        int minX = int.MaxValue, maxX = -1, minY = int.MaxValue, maxY = -1;
        for (int y = top; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
            {
                var (r, g, b) = image.Pixel(x, y);
                if (Math.Abs(r - colour.R) > 8 || Math.Abs(g - colour.G) > 8 || Math.Abs(b - colour.B) > 8) continue;
                minX = Math.Min(minX, x); maxX = Math.Max(maxX, x);
                minY = Math.Min(minY, y); maxY = Math.Max(maxY, y);
            }
        return (minX, maxX, minY, maxY);
    }
}
