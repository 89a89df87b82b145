namespace GraphCompiler.Runtime.Embeddings;

/// <summary>Analogy results for one section of a questions file (or an aggregate of sections).</summary>
/// <param name="Name">Section name without the leading <c>: </c>, e.g. <c>capital-common-countries</c>.</param>
/// <param name="Questions">Questions in the file.</param>
/// <param name="Answered">Questions whose four words all have vectors: the ones scored.</param>
/// <param name="Correct">Answered questions whose best answer is the expected word.</param>
public sealed record AnalogyScore(string Name, int Questions, int Answered, int Correct)
{
    /// <summary>Correct / Answered (NaN when nothing was answered).</summary>
    public double Accuracy => Answered == 0 ? double.NaN : (double)Correct / Answered;

    /// <summary>Answered / Questions (NaN for an empty section).</summary>
    public double Coverage => Questions == 0 ? double.NaN : (double)Answered / Questions;

    internal static AnalogyScore Sum(string name, IEnumerable<AnalogyScore> parts)
    {
        int questions = 0, answered = 0, correct = 0;
        foreach (var part in parts)
        {
            questions += part.Questions;
            answered += part.Answered;
            correct += part.Correct;
        }
        return new AnalogyScore(name, questions, answered, correct);
    }
}

/// <summary>
/// Analogy results of a whole questions file: each section in file order, and the totals. Mikolov
/// et al. call the sections whose names start with <c>gram</c> syntactic and the others semantic.
/// </summary>
public sealed record AnalogyReport(IReadOnlyList<AnalogyScore> Sections, AnalogyScore Semantic, AnalogyScore Syntactic, AnalogyScore Total);

/// <summary>Word-similarity results: Spearman's ρ between cosine similarity and the human scores.</summary>
/// <param name="Spearman">ρ over the pairs whose two words have vectors (NaN for fewer than two, or no variation).</param>
/// <param name="Pairs">Pairs in the file.</param>
/// <param name="Answered">Pairs whose two words have vectors: the ones scored.</param>
public sealed record WordSimilarityScore(double Spearman, int Pairs, int Answered)
{
    /// <summary>Answered / Pairs.</summary>
    public double Coverage => Pairs == 0 ? double.NaN : (double)Answered / Pairs;
}
