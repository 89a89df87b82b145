using GraphCompiler.Runtime.Embeddings;
using GraphCompiler.Samples;

namespace Word2Vec;

/// <summary>
/// The analogy and word-similarity files, found and read through once before training, so that a
/// missing or malformed file is reported at once rather than after the training it would score.
/// </summary>
public static class EvaluationFiles
{
    /// <summary>The files to score with: the given ones, else the shared evaluation sets when present; each checked.</summary>
    public static (string? Analogies, string? WordSim) Resolve(Options options)
    {
        var shared = SharedFolder.Find();
        var analogies = options.Analogies ?? SharedFolder.File(shared, "eval", "questions-words.txt");
        var wordsim = options.WordSim ?? SharedFolder.File(shared, "eval", "wordsim353.tsv");
        // Read against a one-word vocabulary no question can use: every line is parsed, nothing is scored.
        var none = new WordVectors(new EmbeddingMatrix([1f], 1, 1), ["\0"]);
        if (analogies is not null)
        {
            Exists("analogy file", analogies);
            if (Evaluation.Analogies(none, analogies).Total.Questions == 0)
                throw new UserError("analogy file", "has no questions (lines 'a b c d' asking for d ≈ b − a + c)", analogies);
        }
        if (wordsim is not null)
        {
            Exists("word-similarity file", wordsim);
            if (Evaluation.WordSimilarity(none, wordsim).Pairs == 0)
                throw new UserError("word-similarity file", "has no pairs (lines 'word1<TAB>word2<TAB>score')", wordsim);
        }
        return (analogies, wordsim);
    }

    private static void Exists(string what, string path)
    {
        if (!File.Exists(path)) throw new UserError(what, "does not exist", path);
    }
}
