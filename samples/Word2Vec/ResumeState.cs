using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GraphCompiler.Runtime.Text;

namespace Word2Vec;

/// <summary>Where one Hogwild thread is in its shard: the epoch, the batches of it trained, and the shard words read in all.</summary>
public readonly record struct ShardPosition(int Epoch, long Batches, long Words);

/// <summary>
/// What a checkpoint's metadata records besides the weights and the global step, so that a resumed
/// run continues exactly: the corpus (the vocabulary's hash and size, the in-vocabulary token count;
/// the vocabulary itself is saved beside the checkpoints) and every thread's data position, from
/// which the learning-rate schedule's progress follows. The settings are <see cref="RunSettings"/>.
/// </summary>
public static class ResumeState
{
    private const string VocabularyHashKey = "corpus:vocabulary_sha256", VocabularySizeKey = "corpus:vocabulary_words",
        TokensKey = "corpus:tokens", CorpusKey = "corpus:path", ShardsKey = "data:shards";

    /// <summary>The file beside the checkpoints that holds the vocabulary the hash stands for (word, count per line).</summary>
    public const string VocabularyFile = "vocabulary.tsv";

    /// <summary>The metadata of a checkpoint at a consistent state.</summary>
    public static Dictionary<string, string> ToMetadata(Options options, string corpus, Vocabulary vocabulary, int tokens, IReadOnlyList<ShardPosition> shards)
    {
        var metadata = new Dictionary<string, string>(RunSettings.ToMetadata(options), StringComparer.Ordinal)
        {
            [VocabularyHashKey] = Hash(vocabulary),
            [VocabularySizeKey] = vocabulary.Count.ToString(CultureInfo.InvariantCulture),
            [TokensKey] = tokens.ToString(CultureInfo.InvariantCulture),
            [CorpusKey] = corpus,
            [ShardsKey] = string.Join(';', shards.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Epoch}:{s.Batches}:{s.Words}"))),
        };
        return metadata;
    }

    /// <summary>
    /// Why this run's corpus is not the checkpoint's (null when it is): the vocabulary (words and counts) and the
    /// in-vocabulary token count must both match, or each embedding row would stand for another word.
    /// </summary>
    public static string? CorpusDifference(IReadOnlyDictionary<string, string> metadata, string corpus, Vocabulary vocabulary, int tokens)
    {
        if (!metadata.TryGetValue(VocabularyHashKey, out var hash)) return "the checkpoint records no corpus (it was not written by this program)";
        var recordedTokens = metadata.GetValueOrDefault(TokensKey, "?");
        if (hash == Hash(vocabulary) && recordedTokens == tokens.ToString(CultureInfo.InvariantCulture)) return null;
        return string.Create(CultureInfo.InvariantCulture,
            $"the corpus differs: the run trained on '{metadata.GetValueOrDefault(CorpusKey, "?")}' ({metadata.GetValueOrDefault(VocabularySizeKey, "?")} vocabulary words, {recordedTokens} tokens in it), this one is '{corpus}' ({vocabulary.Count} words, {tokens} tokens)");
    }

    /// <summary>The threads' data positions recorded in a checkpoint.</summary>
    /// <exception cref="FormatException">The record is missing or malformed.</exception>
    public static ShardPosition[] Shards(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(ShardsKey, out var text)) throw new FormatException($"the checkpoint records no data position ('{ShardsKey}')");
        return [.. text.Split(';').Select(part =>
        {
            var fields = part.Split(':');
            return fields.Length == 3
                && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int epoch)
                && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out long batches)
                && long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out long words)
                ? new ShardPosition(epoch, batches, words)
                : throw new FormatException($"the data position '{part}' is not epoch:batches:words");
        })];
    }

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
