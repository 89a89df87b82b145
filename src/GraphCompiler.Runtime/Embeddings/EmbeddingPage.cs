using System.Globalization;
using System.Net;
using System.Numerics.Tensors;
using System.Text;
using System.Text.Json;
using GraphCompiler.Runtime.Text;

namespace GraphCompiler.Runtime.Embeddings;

/// <summary>
/// Writes a self-contained HTML page (inline CSS and JavaScript, no network) that plots word
/// embeddings in 2-D — t-SNE and PCA, computed here by <see cref="Projection"/> — with the words as
/// labels, zoom (wheel), pan (drag), and a search box that highlights a word and its nearest
/// neighbours (cosine, among the plotted words). The page is well-formed XML as well as HTML, and
/// its fragment selects a view and a word: <c>embeddings.html#view=pca&amp;word=king</c>.
/// </summary>
public static class EmbeddingPage
{
    /// <summary>The customary file name, written next to the projector files.</summary>
    public const string FileName = "embeddings.html";

    /// <summary>How many of the plotted words (the first ones, i.e. the most frequent) always show their label.</summary>
    public const int LabelledPoints = 150;

    /// <summary>
    /// Plots the first <paramref name="maxPoints"/> rows (in id order, i.e. the most frequent words of a
    /// frequency-sorted vocabulary), skipping the unknown-word row <see cref="Vocabulary.UnknownWord"/>
    /// and rows of norm 0. Both projections use the L2-normalised vectors, so distances follow cosine
    /// similarity. The page is written as UTF-8 to <paramref name="path"/> (its directory is created).
    /// </summary>
    /// <param name="path">The HTML file to write (replaced if it exists).</param>
    /// <param name="embeddings">One row per word.</param>
    /// <param name="words">Words by id, one per row.</param>
    /// <param name="maxPoints">Most points to plot (t-SNE is O(n²): a few thousand at most).</param>
    /// <param name="neighbours">Nearest neighbours listed and highlighted for a searched word.</param>
    /// <param name="tsne">t-SNE settings; the defaults when null.</param>
    /// <param name="title">Shown as the page title and heading.</param>
    /// <exception cref="ArgumentException">Words not one per row, no plottable row, or bad limits.</exception>
    public static void Write(string path, EmbeddingMatrix embeddings, IReadOnlyList<string> words, int maxPoints = 1000,
        int neighbours = 10, TsneOptions? tsne = null, string title = "Word embeddings")
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(title);
        if (words.Count != embeddings.VocabularySize)
            throw new ArgumentException($"{words.Count} words for an embedding matrix of {embeddings.VocabularySize} rows", nameof(words));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPoints, TsneOptions.MaxPoints);
        ArgumentOutOfRangeException.ThrowIfLessThan(neighbours, 1);

        var unit = embeddings.Normalized();
        var rows = PlottedRows(embeddings, words, maxPoints);
        if (rows.Length < 2)
            throw new ArgumentException($"only {rows.Length} plottable rows (non-zero vectors other than {Vocabulary.UnknownWord}); a plot needs 2", nameof(embeddings));

        var pca = Projection.Pca(unit, rows);
        var tsneCoordinates = Projection.Tsne(unit, rows, tsne);
        var nearest = NearestAmong(unit, rows, Math.Min(neighbours, rows.Length - 1));

        var json = DataJson(title, rows.Select(id => words[id]).ToArray(), pca, tsneCoordinates, nearest);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        File.WriteAllText(path, EmbeddingPageTemplate.Build(WebUtility.HtmlEncode(title), json), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    private static int[] PlottedRows(EmbeddingMatrix embeddings, IReadOnlyList<string> words, int maxPoints)
    {
        var rows = new List<int>(Math.Min(maxPoints, embeddings.VocabularySize));
        for (int id = 0; id < embeddings.VocabularySize && rows.Count < maxPoints; id++)
        {
            if (words[id] == Vocabulary.UnknownWord) continue;
            float norm = TensorPrimitives.Norm(embeddings.Row(id));
            if (!float.IsFinite(norm))
                throw new ArgumentException($"row {id} ('{words[id]}') of the embedding matrix has a NaN or infinite value", nameof(embeddings));
            // A zero row has no direction: it would sit at the origin of every plot and mean nothing.
            if (norm == 0) continue;
            rows.Add(id);
        }
        return rows.ToArray();
    }

    // For each plotted point, the indices (into rows) and cosines of its k most similar plotted points, best first.
    private static (int Index, float Similarity)[][] NearestAmong(EmbeddingMatrix unit, int[] rows, int k)
    {
        var result = new (int, float)[rows.Length][];
        Parallel.For(0, rows.Length, i =>
        {
            var best = new List<(int Index, float Similarity)>(k + 1);
            var query = unit.Row(rows[i]);
            for (int j = 0; j < rows.Length; j++)
            {
                if (j == i) continue;
                float similarity = TensorPrimitives.Dot(query, unit.Row(rows[j]));
                if (best.Count == k && !(similarity > best[^1].Similarity)) continue;
                int at = best.Count;
                while (at > 0 && similarity > best[at - 1].Similarity) at--;
                best.Insert(at, (j, similarity));
                if (best.Count > k) best.RemoveAt(k);
            }
            result[i] = best.ToArray();
        });
        return result;
    }

    // The data island. System.Text.Json's default encoder writes <, > and & as \u escapes, so the JSON
    // can sit in a <script> element (and in XML) without ending it early.
    private static string DataJson(string title, string[] words, float[] pca, float[] tsne, (int Index, float Similarity)[][] nearest)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("title", title);
            json.WriteNumber("labelled", LabelledPoints);
            json.WriteStartArray("words");
            foreach (var word in words) json.WriteStringValue(word);
            json.WriteEndArray();
            WriteCoordinates(json, "pca", pca);
            WriteCoordinates(json, "tsne", tsne);
            json.WriteStartArray("neighbours");
            foreach (var list in nearest)
            {
                json.WriteStartArray();
                foreach (var (index, _) in list) json.WriteNumberValue(index);
                json.WriteEndArray();
            }
            json.WriteEndArray();
            json.WriteStartArray("similarities");
            foreach (var list in nearest)
            {
                json.WriteStartArray();
                foreach (var (_, similarity) in list) json.WriteNumberValue(Math.Round(similarity, 3));
                json.WriteEndArray();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteCoordinates(Utf8JsonWriter json, string name, float[] values)
    {
        json.WriteStartArray(name);
        // Six significant digits are far finer than a pixel and keep the page small.
        foreach (var value in values)
            json.WriteRawValue(((double)value).ToString("G6", CultureInfo.InvariantCulture), skipInputValidation: true);
        json.WriteEndArray();
    }

}
