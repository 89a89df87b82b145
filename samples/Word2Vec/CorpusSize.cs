using System.Globalization;
using GraphCompiler.Runtime.Text;
using GraphCompiler.Samples;

namespace Word2Vec;

/// <summary>Refuses, before training, a corpus too small for the settings: training it would take no step and score nothing.</summary>
public static class CorpusSize
{
    /// <summary>Throws a <see cref="UserError"/> saying what is too small.</summary>
    public static void Check(string path, long tokens, Vocabulary vocabulary, long inVocabulary, Options options)
    {
        if (tokens == 0) throw new UserError("corpus", "is empty: it has no words", path);
        int words = vocabulary.Count - 1;   // UNK is no word of the corpus
        if (words < 2)
            throw new UserError("corpus", string.Create(CultureInfo.InvariantCulture,
                $"too small for the settings: {words} distinct word{(words == 1 ? "" : "s")} occur{(words == 1 ? "s" : "")} at least {options.MinCount} times (--min-count); skip-gram needs at least 2"), path);
        // Each token pairs with at most 2·window neighbours: an upper bound, before subsampling.
        long pairs = inVocabulary * 2 * options.Window;
        if (inVocabulary < 2 || pairs < options.BatchSize)
            throw new UserError("corpus", string.Create(CultureInfo.InvariantCulture,
                $"too small for the settings: its {inVocabulary} in-vocabulary tokens give at most {(inVocabulary < 2 ? 0 : pairs)} skip-gram pairs, fewer than one batch of {options.BatchSize} (--batch)"), path);
    }
}
