using System.Text;
using GraphCompiler.Runtime.Text;

namespace GraphCompiler.Runtime.Bert;

/// <summary>
/// A WordPiece vocabulary as BERT uses it: ids 0–4 are <c>[PAD] [UNK] [CLS] [SEP] [MASK]</c>, then the
/// pieces; a piece that continues a word is written with the prefix <c>##</c> (<c>play ##ing</c>). Text is
/// split by <see cref="BasicTokenizer"/> and each word by greedy longest-match-first; a word that cannot be
/// covered by pieces, or is longer than <see cref="MaxWordLength"/> characters, becomes <c>[UNK]</c> as a
/// whole (BERT's rule). Saved as BERT's <c>vocab.txt</c>: one token per line, the line number (from 0) is its id.
/// </summary>
public sealed class WordPieceVocabulary
{
    /// <summary>Padding: the id of positions after the end of a sequence.</summary>
    public const int PadId = 0;

    /// <summary>A word no pieces cover.</summary>
    public const int UnknownId = 1;

    /// <summary>The first token of every sequence; its final hidden state feeds sentence-level heads (NSP, classification).</summary>
    public const int ClsId = 2;

    /// <summary>Ends each segment.</summary>
    public const int SepId = 3;

    /// <summary>Replaces a token the masked language model must predict.</summary>
    public const int MaskId = 4;

    /// <summary>The number of special tokens; ids from here on are pieces.</summary>
    public const int SpecialCount = 5;

    /// <summary>The prefix of a piece that continues a word.</summary>
    public const string ContinuationPrefix = "##";

    /// <summary>Words longer than this (in UTF-16 characters) are <c>[UNK]</c>, as in BERT.</summary>
    public const int MaxWordLength = 100;

    /// <summary>The special tokens by id.</summary>
    public static IReadOnlyList<string> SpecialTokens { get; } = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    private readonly string[] _tokens;
    private readonly Dictionary<string, int> _ids;
    // Words repeat: each is split into pieces once.
    private readonly Dictionary<string, int[]> _wordCache = new(StringComparer.Ordinal);
    private readonly Lock _cacheLock = new();

    /// <summary>A vocabulary of the special tokens followed by <paramref name="pieces"/> (ids 5, 6, …).</summary>
    /// <exception cref="ArgumentException">A piece is empty, only <c>##</c>, contains whitespace, is a special token or repeats.</exception>
    public WordPieceVocabulary(IEnumerable<string> pieces)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        _tokens = [.. SpecialTokens, .. pieces];
        _ids = new Dictionary<string, int>(_tokens.Length, StringComparer.Ordinal);
        for (int id = 0; id < _tokens.Length; id++)
        {
            var problem = Problem(_tokens[id], id) ?? (_ids.TryAdd(_tokens[id], id) ? null : "appears twice");
            if (problem is not null) throw new ArgumentException($"token {id} '{_tokens[id]}': {problem}", nameof(pieces));
        }
    }

    /// <summary>Number of tokens, the special ones included.</summary>
    public int Count => _tokens.Length;

    /// <summary>Tokens by id.</summary>
    public IReadOnlyList<string> Tokens => _tokens;

    /// <summary>The token with id <paramref name="id"/>.</summary>
    public string this[int id] => (uint)id < (uint)_tokens.Length
        ? _tokens[id]
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"vocabulary has ids 0..{_tokens.Length - 1}");

    /// <summary>True and the id when <paramref name="token"/> is in the vocabulary (exact, ordinal).</summary>
    public bool TryGetId(string token, out int id) => _ids.TryGetValue(token, out id);

    /// <summary>Whether <paramref name="id"/> is one of the special tokens.</summary>
    public static bool IsSpecial(int id) => (uint)id < SpecialCount;

    /// <summary>The piece ids of <paramref name="text"/> (no <c>[CLS]</c>/<c>[SEP]</c> added).</summary>
    public int[] Encode(string text)
    {
        var ids = new List<int>();
        foreach (var word in BasicTokenizer.Split(text)) ids.AddRange(EncodeWord(word));
        return [.. ids];
    }

    /// <summary>The piece ids of one word of <see cref="BasicTokenizer"/> (greedy longest match first).</summary>
    public IReadOnlyList<int> EncodeWord(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        lock (_cacheLock)
            if (_wordCache.TryGetValue(word, out var cached)) return cached;
        var pieces = SplitWord(word);
        lock (_cacheLock) _wordCache[word] = pieces;
        return pieces;
    }

    private int[] SplitWord(string word)
    {
        if (word.Length == 0) return [];
        if (word.Length > MaxWordLength) return [UnknownId];
        var pieces = new List<int>();
        for (int start = 0; start < word.Length;)
        {
            int end = word.Length, found = -1;
            for (; end > start; end--)
            {
                var piece = start == 0 ? word[..end] : ContinuationPrefix + word[start..end];
                if (_ids.TryGetValue(piece, out found) && !IsSpecial(found)) break;
                found = -1;
            }
            if (found < 0) return [UnknownId];
            pieces.Add(found);
            start = end;
        }
        return [.. pieces];
    }

    /// <summary>
    /// The text of <paramref name="ids"/>: pieces joined into words, words separated by one space (BERT's
    /// detokenisation; special tokens are written as themselves, <c>[PAD]</c> is left out).
    /// </summary>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new StringBuilder();
        foreach (var id in ids)
        {
            if (id == PadId) continue;
            var token = this[id];
            if (token.StartsWith(ContinuationPrefix, StringComparison.Ordinal) && text.Length > 0) text.Append(token, 2, token.Length - 2);
            else (text.Length > 0 ? text.Append(' ') : text).Append(token);
        }
        return text.ToString();
    }

    /// <summary>Writes the vocabulary as <c>vocab.txt</c> (UTF-8, one token a line, atomically replaced).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var temporary = path + ".tmp";
        File.WriteAllLines(temporary, _tokens, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a <c>vocab.txt</c> written by <see cref="Save"/> (or BERT's, when its first five tokens are ours).</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InputFileException">A line is not a valid token, or the special tokens are not ids 0–4.</exception>
    public static WordPieceVocabulary Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"no vocabulary file at {path}", path);
        var lines = File.ReadAllLines(path, Encoding.UTF8);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int id = 0; id < lines.Length; id++)
        {
            var problem = id < SpecialCount && lines[id] != SpecialTokens[id]
                ? $"expected {SpecialTokens[id]} (id {id}), found '{lines[id]}'"
                : Problem(lines[id], id) ?? (seen.Add(lines[id]) ? null : $"'{lines[id]}' appears twice");
            if (problem is not null) throw new InputFileException("vocabulary", path, id + 1, problem);
        }
        if (lines.Length < SpecialCount) throw new InputFileException("vocabulary", path, null, $"only {lines.Length} lines; the {SpecialCount} special tokens must come first");
        return new WordPieceVocabulary(lines.Skip(SpecialCount));
    }

    private static string? Problem(string token, int id)
    {
        if (token.Length == 0 || token == ContinuationPrefix) return "empty token";
        if (token.Any(char.IsWhiteSpace)) return "a token contains whitespace";
        if (id >= SpecialCount && SpecialTokens.Contains(token)) return "a special token after the first five lines";
        return null;
    }
}
