using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GraphCompiler.Runtime.Text;

namespace Word2Vec;

/// <summary>
/// Where one Hogwild thread is in its byte range of the corpus: the epoch; the chunk it trains (its index in the
/// epoch, the stream position it starts at, the range's bytes and the thread's in-vocabulary words read before it);
/// the batches of the chunk trained; and the thread's words read in all when the last of them was complete (the
/// learning-rate schedule's progress). A chunk's data is a function of its start and seed alone, so a resumed
/// thread reopens the stream there and skips the batches already trained.
/// </summary>
public readonly record struct StreamPosition(int Epoch, int Chunk, CorpusPosition At, long Bytes, long ChunkWords, long Batches, long Words)
{
    /// <summary>The start of an epoch of a range, with <paramref name="words"/> read in the epochs before.</summary>
    public static StreamPosition StartOf(int epoch, CorpusRange range, long words) => new(epoch, 0, range.From, 0, words, 0, words);

    /// <summary>The position as checkpoint metadata: epoch:chunk:file:offset:bytes:chunk words:batches:words.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Epoch}:{Chunk}:{At.File}:{At.Offset}:{Bytes}:{ChunkWords}:{Batches}:{Words}");

    /// <summary>Reads <see cref="ToString"/>'s form.</summary>
    /// <exception cref="FormatException">It is not that form.</exception>
    public static StreamPosition Parse(string text)
    {
        var fields = text.Split(':');
        var numbers = new long[fields.Length];
        if (fields.Length != 8 || !fields.Select((f, i) => long.TryParse(f, NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i])).All(ok => ok)
            || numbers[0] > int.MaxValue || numbers[1] > int.MaxValue || numbers[2] > int.MaxValue)
            throw new FormatException($"the data position '{text}' is not epoch:chunk:file:offset:bytes:chunk-words:batches:words");
        return new StreamPosition((int)numbers[0], (int)numbers[1], new CorpusPosition((int)numbers[2], numbers[3]), numbers[4], numbers[5], numbers[6], numbers[7]);
    }
}

/// <summary>
/// What a checkpoint's metadata records besides the weights and the global step, so that a resumed
/// run continues exactly: the corpus (the vocabulary's hash and size, the in-vocabulary token count;
/// the vocabulary itself is saved beside the checkpoints) and every thread's position in the stream
/// (<see cref="StreamPosition"/>), from which the learning-rate schedule's progress follows. The settings are <see cref="RunSettings"/>.
/// </summary>
public static class ResumeState
{
    private const string VocabularyHashKey = "corpus:vocabulary_sha256", VocabularySizeKey = "corpus:vocabulary_words",
        TokensKey = "corpus:tokens", CorpusKey = "corpus:path", ShardsKey = "data:shards";

    /// <summary>The file beside the checkpoints that holds the vocabulary the hash stands for (word, count per line).</summary>
    public const string VocabularyFile = "vocabulary.tsv";

    /// <summary>The metadata of a checkpoint at a consistent state.</summary>
    public static Dictionary<string, string> ToMetadata(Options options, string corpus, Vocabulary vocabulary, long tokens, IReadOnlyList<StreamPosition> shards)
    {
        var metadata = new Dictionary<string, string>(RunSettings.ToMetadata(options), StringComparer.Ordinal)
        {
            [VocabularyHashKey] = Hash(vocabulary),
            [VocabularySizeKey] = vocabulary.Count.ToString(CultureInfo.InvariantCulture),
            [TokensKey] = tokens.ToString(CultureInfo.InvariantCulture),
            [CorpusKey] = corpus,
            [ShardsKey] = string.Join(';', shards),
        };
        return metadata;
    }

    /// <summary>
    /// Why this run's corpus is not the checkpoint's (null when it is): the vocabulary (words and counts) and the
    /// in-vocabulary token count must both match, or each embedding row would stand for another word.
    /// </summary>
    public static string? CorpusDifference(IReadOnlyDictionary<string, string> metadata, string corpus, Vocabulary vocabulary, long tokens)
    {
        if (!metadata.TryGetValue(VocabularyHashKey, out var hash)) return "the checkpoint records no corpus (it was not written by this program)";
        var recordedTokens = metadata.GetValueOrDefault(TokensKey, "?");
        if (hash == Hash(vocabulary) && recordedTokens == tokens.ToString(CultureInfo.InvariantCulture)) return null;
        return string.Create(CultureInfo.InvariantCulture,
            $"the corpus differs: the run trained on '{metadata.GetValueOrDefault(CorpusKey, "?")}' ({metadata.GetValueOrDefault(VocabularySizeKey, "?")} vocabulary words, {recordedTokens} tokens in it), this one is '{corpus}' ({vocabulary.Count} words, {tokens} tokens)");
    }

    /// <summary>The threads' data positions recorded in a checkpoint.</summary>
    /// <exception cref="FormatException">The record is missing or malformed.</exception>
    public static StreamPosition[] Shards(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(ShardsKey, out var text)
            ? [.. text.Split(';').Select(StreamPosition.Parse)]
            : throw new FormatException($"the checkpoint records no data position ('{ShardsKey}')");

    /// <summary>Writes the vocabulary the hash stands for, one "word TAB count" line per id.</summary>
    public static void WriteVocabulary(string directory, Vocabulary vocabulary) =>
        File.WriteAllLines(Path.Combine(directory, VocabularyFile), vocabulary.Words.Select((w, i) => $"{w}\t{vocabulary.Counts[i].ToString(CultureInfo.InvariantCulture)}"));

    private static string Hash(Vocabulary vocabulary)
    {
        var text = new StringBuilder();
        for (int i = 0; i < vocabulary.Count; i++) text.Append(vocabulary.Words[i]).Append('\t').Append(vocabulary.Counts[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
