using System.Numerics.Tensors;

namespace GraphCompiler.Runtime.Embeddings;

/// <summary>A word found by a similarity query, with its cosine similarity to the query.</summary>
public readonly record struct Neighbour(int Id, string Word, float Similarity);

/// <summary>
/// Cosine queries over trained word vectors: nearest neighbours and analogies. Holds an
/// L2-normalised copy of the matrix, so every similarity is a dot product. Words are looked up
/// case-insensitively (ordinal); if two entries differ only by case, the lower id (the more
/// frequent word) answers.
/// </summary>
public sealed class WordVectors
{
    private readonly Dictionary<string, int> _ids;

    /// <param name="embeddings">One row per word.</param>
    /// <param name="words">Words by id, as many as the matrix has rows (e.g. <c>Vocabulary.Words</c>).</param>
    public WordVectors(EmbeddingMatrix embeddings, IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(words);
        if (words.Count != embeddings.VocabularySize)
            throw new ArgumentException($"{words.Count} words for an embedding matrix of {embeddings.VocabularySize} rows", nameof(words));
        Unit = embeddings.Normalized();
        Words = words;
        _ids = new Dictionary<string, int>(words.Count, StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < words.Count; i++) _ids.TryAdd(words[i], i);
    }

    /// <summary>The vectors scaled to unit length.</summary>
    public EmbeddingMatrix Unit { get; }

    /// <summary>Words by id.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>True and its id if <paramref name="word"/> has a vector (case-insensitive).</summary>
    public bool TryGetId(string word, out int id) => _ids.TryGetValue(word, out id);

    /// <summary>Cosine similarity of two words.</summary>
    /// <exception cref="KeyNotFoundException">A word has no vector.</exception>
    public float Similarity(string first, string second) =>
        TensorPrimitives.Dot(Unit.Row(IdOf(first)), Unit.Row(IdOf(second)));

    /// <summary>Cosine similarity of the words with ids <paramref name="first"/> and <paramref name="second"/>.</summary>
    public float Similarity(int first, int second) => TensorPrimitives.Dot(Unit.Row(first), Unit.Row(second));

    /// <summary>The <paramref name="k"/> words most similar to <paramref name="word"/> by cosine, best first, the word itself excluded.</summary>
    /// <exception cref="KeyNotFoundException">The word has no vector.</exception>
    public IReadOnlyList<Neighbour> NearestNeighbours(string word, int k)
    {
        int id = IdOf(word);
        return Nearest(Unit.Row(id), k, [id]);
    }

    /// <summary>
    /// The answers to "<paramref name="a"/> is to <paramref name="b"/> as <paramref name="c"/> is to ?",
    /// best first: the words closest by cosine to <c>b̂ − â + ĉ</c> (unit vectors; 3CosAdd, as word2vec's
    /// compute-accuracy does), the three question words excluded.
    /// </summary>
    /// <exception cref="KeyNotFoundException">A question word has no vector.</exception>
    public IReadOnlyList<Neighbour> Analogy(string a, string b, string c, int k)
    {
        int ia = IdOf(a), ib = IdOf(b), ic = IdOf(c);
        return Nearest(AnalogyTarget(ia, ib, ic), k, [ia, ib, ic]);
    }

    /// <summary>
    /// The <paramref name="k"/> ids whose unit vectors have the largest dot product with
    /// <paramref name="query"/> (the cosine, for a query of any positive length), best first, ties by
    /// lower id, skipping <paramref name="excluded"/>.
    /// </summary>
    public IReadOnlyList<Neighbour> Nearest(ReadOnlySpan<float> query, int k, ReadOnlySpan<int> excluded)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (query.Length != Unit.Dimension)
            throw new ArgumentException($"query has {query.Length} values; vectors have {Unit.Dimension}", nameof(query));
        float norm = TensorPrimitives.Norm(query);
        float scale = norm > 0 ? 1 / norm : 0;

        // A small sorted buffer beats a heap for the k ≤ ~100 these queries use.
        var best = new List<Neighbour>(k + 1);
        for (int id = 0; id < Unit.VocabularySize; id++)
        {
            if (excluded.Contains(id)) continue;
            float similarity = TensorPrimitives.Dot(query, Unit.Row(id)) * scale;
            if (best.Count == k && !(similarity > best[^1].Similarity)) continue;
            int at = best.Count;
            while (at > 0 && similarity > best[at - 1].Similarity) at--;
            best.Insert(at, new Neighbour(id, Words[id], similarity));
            if (best.Count > k) best.RemoveAt(k);
        }
        return best;
    }

    /// <summary>The single best analogy answer id (for scoring many questions without allocating lists).</summary>
    internal int BestAnalogyAnswer(int ia, int ib, int ic)
    {
        var target = AnalogyTarget(ia, ib, ic);
        int bestId = -1;
        float bestSimilarity = float.NegativeInfinity;
        for (int id = 0; id < Unit.VocabularySize; id++)
        {
            if (id == ia || id == ib || id == ic) continue;
            float similarity = TensorPrimitives.Dot(target, Unit.Row(id));
            if (similarity > bestSimilarity) { bestSimilarity = similarity; bestId = id; }
        }
        return bestId;
    }

    internal int IdOf(string word) => _ids.TryGetValue(word, out int id)
        ? id
        : throw new KeyNotFoundException($"word '{word}' is not in the vocabulary");

    private float[] AnalogyTarget(int ia, int ib, int ic)
    {
        var target = new float[Unit.Dimension];
        TensorPrimitives.Subtract(Unit.Row(ib), Unit.Row(ia), target);
        TensorPrimitives.Add(target, Unit.Row(ic), target);
        return target;
    }
}
