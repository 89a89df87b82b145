using System.Globalization;
using GraphCompiler.Runtime.Text;

namespace GraphCompiler.Runtime.Embeddings;

/// <summary>
/// The standard intrinsic evaluations of word vectors: the analogy questions of Mikolov et al.
/// (2013) and word-pair similarity sets such as WordSim-353 and SimLex-999. Words are matched
/// case-insensitively; questions and pairs with a word that has no vector are not scored but are
/// reported through the coverage.
/// </summary>
public static class Evaluation
{
    /// <summary>
    /// Scores an analogy questions file: lines <c>: section-name</c> start a section, every other
    /// non-blank line is a question <c>a b c d</c> (whitespace-separated) asking for d ≈ b − a + c.
    /// A question counts as correct when the top answer of <see cref="WordVectors.Analogy"/>
    /// (a, b, c excluded) is d. Questions before any section header fall in a section named "".
    /// </summary>
    /// <exception cref="InputFileException">A line is not a section header or four words (the exception names file and line).</exception>
    public static AnalogyReport Analogies(WordVectors vectors, string path)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        var sections = new List<(string Name, List<(int A, int B, int C, int D)> Known, int Questions)>();
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var text = line.Trim();
            if (text.Length == 0) continue;
            if (text[0] == ':')
            {
                sections.Add((text[1..].Trim(), [], 0));
                continue;
            }
            var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length != 4)
                throw new InputFileException("analogy file", path, lineNumber, $"expected a ': section' header or four words (a b c d, asking for d ≈ b − a + c), got {words.Length} fields");
            if (sections.Count == 0) sections.Add(("", [], 0));
            var section = sections[^1];
            section.Questions++;
            if (vectors.TryGetId(words[0], out int a) && vectors.TryGetId(words[1], out int b)
                && vectors.TryGetId(words[2], out int c) && vectors.TryGetId(words[3], out int d))
                section.Known.Add((a, b, c, d));
            sections[^1] = section;
        }

        var scores = new List<AnalogyScore>(sections.Count);
        foreach (var (name, known, questions) in sections)
        {
            int correct = 0;
            Parallel.For(0, known.Count, () => 0,
                (i, _, local) => local + (vectors.BestAnalogyAnswer(known[i].A, known[i].B, known[i].C) == known[i].D ? 1 : 0),
                local => Interlocked.Add(ref correct, local));
            scores.Add(new AnalogyScore(name, questions, known.Count, correct));
        }
        return new AnalogyReport(
            scores,
            AnalogyScore.Sum("semantic", scores.Where(s => !IsSyntactic(s.Name))),
            AnalogyScore.Sum("syntactic", scores.Where(s => IsSyntactic(s.Name))),
            AnalogyScore.Sum("total", scores));
    }

    /// <summary>
    /// Scores a word-pair similarity file: one pair per line, <c>word1 word2 score</c> separated by tabs
    /// (or, failing that, whitespace), score in invariant-culture notation. Blank lines and lines
    /// starting with <c>#</c> are skipped, and so is a first data line whose score is not a number
    /// (a column header). Further columns are ignored. The result is Spearman's ρ between the cosine
    /// similarity of each in-vocabulary pair and its human score, ties ranked by average rank.
    /// </summary>
    /// <exception cref="InputFileException">A line has fewer than three fields or a score that is not a number (the exception names file and line).</exception>
    public static WordSimilarityScore WordSimilarity(WordVectors vectors, string path)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        var human = new List<double>();
        var model = new List<double>();
        int pairs = 0, lineNumber = 0;
        bool seenData = false;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var text = line.Trim();
            if (text.Length == 0 || text[0] == '#') continue;
            var fields = text.Split('\t');
            if (fields.Length < 3) fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 3)
                throw new InputFileException("word-similarity file", path, lineNumber, $"expected 'word1<TAB>word2<TAB>score', got {fields.Length} field{(fields.Length == 1 ? "" : "s")}");
            bool isNumber = double.TryParse(fields[2].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double score);
            if (!isNumber && !seenData)
            {
                seenData = true; // a header row
                continue;
            }
            if (!isNumber || !double.IsFinite(score))
                throw new InputFileException("word-similarity file", path, lineNumber, $"score '{fields[2]}' is not a number");
            seenData = true;
            pairs++;
            if (vectors.TryGetId(fields[0].Trim(), out int first) && vectors.TryGetId(fields[1].Trim(), out int second))
            {
                human.Add(score);
                model.Add(vectors.Similarity(first, second));
            }
        }
        return new WordSimilarityScore(RankCorrelation.Spearman(model, human), pairs, human.Count);
    }

    private static bool IsSyntactic(string section) => section.StartsWith("gram", StringComparison.OrdinalIgnoreCase);
}
