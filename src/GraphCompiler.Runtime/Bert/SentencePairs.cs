using GraphCompiler.Runtime.Text;

namespace GraphCompiler.Runtime.Bert;

/// <summary>
/// Builds BERT's next-sentence-prediction pairs: for every sentence that has a successor in its document, a coin
/// with the given seed picks the successor (half the pairs) or a random sentence of a random other document
/// (the other half), as BERT's <c>create_pretraining_data</c> does. A pair longer than the sequence allows
/// (<c>[CLS] A [SEP] B [SEP]</c>) loses tokens from the end of its longer segment until it fits.
/// </summary>
public static class SentencePairs
{
    /// <summary>
    /// The pairs of <paramref name="documents"/> (each a list of sentences as piece ids; empty sentences are
    /// skipped), in document and sentence order, for sequences of <paramref name="sequenceLength"/> tokens.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two documents have sentences (a random pair needs another document).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequenceLength"/> &lt; 5 (room for three special tokens and a token per segment).</exception>
    public static List<SentencePair> Build(IReadOnlyList<IReadOnlyList<int[]>> documents, int sequenceLength, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 5);
        var docs = documents.Select(d => d.Where(s => s.Length > 0).ToArray()).Where(d => d.Length > 0).ToArray();
        if (docs.Length < 2) throw new ArgumentException("next-sentence pairs need at least two documents with sentences", nameof(documents));

        var random = new SplitMix64(seed);
        var pairs = new List<SentencePair>();
        for (int d = 0; d < docs.Length; d++)
            for (int i = 0; i + 1 < docs[d].Length; i++)
            {
                bool isNext = random.NextDouble() < 0.5;
                int[] second;
                if (isNext) second = docs[d][i + 1];
                else
                {
                    int other = random.NextInt(docs.Length - 1);
                    if (other >= d) other++;
                    second = docs[other][random.NextInt(docs[other].Length)];
                }
                var (a, b) = Truncate(docs[d][i], second, sequenceLength - 3);
                pairs.Add(new SentencePair(a, b, isNext));
            }
        return pairs;
    }

    // BERT's truncate_seq_pair, always from the end: trim the longer segment one token at a time.
    private static (int[] First, int[] Second) Truncate(int[] first, int[] second, int room)
    {
        int a = first.Length, b = second.Length;
        while (a + b > room)
        {
            if (a > b) a--;
            else b--;
        }
        return (a == first.Length ? first : first[..a], b == second.Length ? second : second[..b]);
    }
}
