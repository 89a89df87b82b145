using System.Globalization;
using System.Text;

namespace GraphCompiler.Runtime.Embeddings;

/// <summary>
/// Writes embeddings for TensorBoard's embedding projector: <c>vectors.tsv</c> (one row of
/// tab-separated floats per word, no header), <c>metadata.tsv</c> (header <c>word\tfrequency</c>,
/// then one row per word in the same order) and <c>projector_config.pbtxt</c> naming both by
/// paths relative to the directory, so the directory can be moved.
/// </summary>
public static class ProjectorExport
{
    /// <summary>File name of the vectors.</summary>
    public const string VectorsFile = "vectors.tsv";

    /// <summary>File name of the metadata.</summary>
    public const string MetadataFile = "metadata.tsv";

    /// <summary>File name of the projector configuration.</summary>
    public const string ConfigFile = "projector_config.pbtxt";

    /// <summary>
    /// Writes the three files into <paramref name="directory"/> (created if missing; existing files
    /// replaced). Floats are written in the shortest round-trip form of the invariant culture
    /// (NaN and ±Infinity as <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>). In words, a backslash,
    /// tab, line feed or carriage return is written as <c>\\</c>, <c>\t</c>, <c>\n</c>, <c>\r</c>,
    /// so every word stays in its own cell.
    /// </summary>
    /// <exception cref="ArgumentException">The words or counts are not one per row.</exception>
    public static void Write(string directory, string tensorName, EmbeddingMatrix embeddings, IReadOnlyList<string> words, IReadOnlyList<long> counts)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(tensorName);
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(counts);
        if (words.Count != embeddings.VocabularySize)
            throw new ArgumentException($"{words.Count} words for an embedding matrix of {embeddings.VocabularySize} rows", nameof(words));
        if (counts.Count != embeddings.VocabularySize)
            throw new ArgumentException($"{counts.Count} counts for an embedding matrix of {embeddings.VocabularySize} rows", nameof(counts));

        Directory.CreateDirectory(directory);
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

        using (var vectors = new StreamWriter(Path.Combine(directory, VectorsFile), append: false, utf8))
        {
            vectors.NewLine = "\n";
            var row = new StringBuilder();
            for (int i = 0; i < embeddings.VocabularySize; i++)
            {
                row.Clear();
                var values = embeddings.Row(i);
                for (int j = 0; j < values.Length; j++)
                {
                    if (j > 0) row.Append('\t');
                    row.Append(values[j].ToString(CultureInfo.InvariantCulture));
                }
                vectors.WriteLine(row);
            }
        }

        using (var metadata = new StreamWriter(Path.Combine(directory, MetadataFile), append: false, utf8))
        {
            metadata.NewLine = "\n";
            metadata.WriteLine("word\tfrequency");
            for (int i = 0; i < words.Count; i++)
                metadata.WriteLine(EscapeCell(words[i]) + "\t" + counts[i].ToString(CultureInfo.InvariantCulture));
        }

        File.WriteAllText(Path.Combine(directory, ConfigFile),
            $"embeddings {{ tensor_name: {Quote(tensorName)} tensor_path: \"{VectorsFile}\" metadata_path: \"{MetadataFile}\" }}\n",
            utf8);
    }

    /// <summary>A word made safe for one TSV cell (see <see cref="Write"/>).</summary>
    public static string EscapeCell(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return word.Replace("\\", "\\\\").Replace("\t", "\\t").Replace("\n", "\\n").Replace("\r", "\\r");
    }

    // A protobuf text-format string literal.
    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";
}
