using System.Text;

namespace GraphCompiler.Runtime.Bert;

/// <summary>
/// Learns a <see cref="WordPieceVocabulary"/> from text, as WordPiece does (Schuster and Nakajima, 2012): start
/// from the characters (a character inside a word as <c>##c</c>) and repeatedly merge the adjacent pair of units
/// whose merge raises the likelihood of the training words under a unigram model of the units the most, until
/// the vocabulary has the size asked for.
/// </summary>
/// <remarks>
/// The gain of merging units a and b, to first order, is <c>n(ab) · log(n(ab) · N / (n(a) · n(b)))</c>: the pair's
/// count times its pointwise mutual information, where n counts units in the current segmentation of all words
/// (weighted by the words' counts) and N is their total. BPE merges by n(ab) alone, so it merges pairs that are
/// frequent only because their parts are (<c>e ##s</c>); the mutual-information factor prefers pieces that are
/// units of the language. Pairs seen fewer than <c>minPairCount</c> times are never merged, so rare words do
/// not become pieces of their own. Ties go to the more frequent pair, then to the pair of older units, so the
/// result depends only on the text.
/// </remarks>
public static class WordPieceTrainer
{
    /// <summary>
    /// Trains on the words of <paramref name="texts"/> (split by <see cref="BasicTokenizer"/>) until the vocabulary
    /// has <paramref name="vocabularySize"/> tokens (the five special ones included) or no pair is seen
    /// <paramref name="minPairCount"/> times. Every character of the text is a piece, so only characters never
    /// seen in training make a word unknown.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="vocabularySize"/> ≤ 5 or <paramref name="minPairCount"/> &lt; 1.</exception>
    public static WordPieceVocabulary Train(IEnumerable<string> texts, int vocabularySize, int minPairCount = 2)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(vocabularySize, WordPieceVocabulary.SpecialCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(minPairCount, 1);

        var wordCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var text in texts)
            foreach (var word in BasicTokenizer.Split(text))
                wordCounts[word] = wordCounts.GetValueOrDefault(word) + 1;
        return new Merger(wordCounts).Run(vocabularySize - WordPieceVocabulary.SpecialCount, minPairCount);
    }

    // Units are ints (their text in _units); words are unit sequences with a count. The pair statistics are kept
    // up to date incrementally: a merge touches only the words that contain the merged pair.
    private sealed class Merger
    {
        private readonly List<string> _units = [];
        private readonly Dictionary<string, int> _unitIds = new(StringComparer.Ordinal);
        private readonly List<long> _unitCounts = [];
        private readonly List<int>[] _words;
        private readonly long[] _wordCounts;
        private readonly Dictionary<long, long> _pairCounts = [];
        private readonly Dictionary<long, HashSet<int>> _pairWords = [];
        private long _total;

        public Merger(Dictionary<string, long> wordCounts)
        {
            // The alphabet first, most frequent first, so ids (and tie-breaks) depend only on the counts.
            var ordered = wordCounts.OrderBy(e => e.Key, StringComparer.Ordinal).ToArray();
            var characters = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (word, count) in ordered)
                foreach (var unit in Characters(word))
                    characters[unit] = characters.GetValueOrDefault(unit) + count;
            foreach (var (unit, _) in characters.OrderByDescending(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal))
                UnitId(unit);

            _words = new List<int>[ordered.Length];
            _wordCounts = new long[ordered.Length];
            for (int w = 0; w < ordered.Length; w++)
            {
                _wordCounts[w] = ordered[w].Value;
                _words[w] = [.. Characters(ordered[w].Key).Select(UnitId)];
                Count(w, +1);
            }
        }

        public WordPieceVocabulary Run(int pieces, int minPairCount)
        {
            int distinct = _units.Count;
            while (distinct < pieces && Best(minPairCount) is { } pair)
            {
                int a = (int)(pair >> 32), b = (int)pair;
                var merged = _units[a] + _units[b][WordPieceVocabulary.ContinuationPrefix.Length..];
                bool known = _unitIds.ContainsKey(merged);
                int id = UnitId(merged);
                if (!known) distinct++;
                foreach (var w in _pairWords[pair].ToArray()) Merge(w, a, b, id);
            }
            return new WordPieceVocabulary(_units);
        }

        // The pair with the largest first-order likelihood gain among those seen at least minPairCount times.
        private long? Best(int minPairCount)
        {
            long? best = null;
            double bestGain = double.NegativeInfinity;
            long bestCount = 0;
            double logTotal = Math.Log(_total);
            foreach (var (pair, count) in _pairCounts)
            {
                if (count < minPairCount) continue;
                double gain = count * (Math.Log(count) + logTotal - Math.Log(_unitCounts[(int)(pair >> 32)]) - Math.Log(_unitCounts[(int)pair]));
                if (gain > bestGain || (gain == bestGain && (count > bestCount || (count == bestCount && pair < best))))
                    (best, bestGain, bestCount) = (pair, gain, count);
            }
            return best;
        }

        private void Merge(int w, int a, int b, int merged)
        {
            Count(w, -1);
            var units = _words[w];
            for (int i = 0; i + 1 < units.Count; i++)
                if (units[i] == a && units[i + 1] == b)
                {
                    units[i] = merged;
                    units.RemoveAt(i + 1);
                }
            Count(w, +1);
        }

        // Adds (sign +1) or removes (-1) word w's units and adjacent pairs from the statistics.
        private void Count(int w, int sign)
        {
            long n = sign * _wordCounts[w];
            var units = _words[w];
            for (int i = 0; i < units.Count; i++)
            {
                _unitCounts[units[i]] += n;
                _total += n;
                if (i + 1 == units.Count) continue;
                long pair = ((long)units[i] << 32) | (uint)units[i + 1];
                long count = _pairCounts.GetValueOrDefault(pair) + n;
                if (count == 0)
                {
                    _pairCounts.Remove(pair);
                    _pairWords.Remove(pair);
                    continue;
                }
                _pairCounts[pair] = count;
                if (sign > 0)
                {
                    if (!_pairWords.TryGetValue(pair, out var words)) _pairWords[pair] = words = [];
                    words.Add(w);
                }
                else _pairWords[pair].Remove(w);
            }
        }

        private int UnitId(string unit)
        {
            if (_unitIds.TryGetValue(unit, out int id)) return id;
            _unitIds[unit] = id = _units.Count;
            _units.Add(unit);
            _unitCounts.Add(0);
            return id;
        }

        // A word's characters as units (a surrogate pair is one): "cat" -> c, ##a, ##t.
        private static IEnumerable<string> Characters(string word)
        {
            bool first = true;
            foreach (var rune in word.EnumerateRunes())
            {
                yield return first ? rune.ToString() : WordPieceVocabulary.ContinuationPrefix + rune;
                first = false;
            }
        }
    }
}
