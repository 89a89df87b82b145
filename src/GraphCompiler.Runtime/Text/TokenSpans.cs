namespace GraphCompiler.Runtime.Text;

/// <summary>
/// Tokens held as spans of one reused character buffer: a streaming pass tokenises text and looks each token up
/// (<see cref="Vocabulary.IdOf(ReadOnlySpan{char})"/>, <see cref="VocabularyCounter.Add(ReadOnlySpan{char})"/>)
/// without a string per token. <see cref="Tokenizer.Tokenize(ReadOnlySpan{char}, TokenSpans)"/> and
/// <see cref="CorpusReader.Read(TokenSpans)"/> append to it; <see cref="Clear"/> empties it for the next text.
/// </summary>
/// <remarks>A token's span is valid until the next append or <see cref="Clear"/>.</remarks>
public sealed class TokenSpans
{
    private char[] _chars = new char[1024];
    private int[] _ends = new int[256];   // token i is _chars[_ends[i - 1] .. _ends[i]] (from 0 for the first)
    private int _length;

    /// <summary>The number of tokens held.</summary>
    public int Count { get; private set; }

    /// <summary>The token at <paramref name="index"/>, lower-cased as <see cref="Tokenizer"/> writes it.</summary>
    public ReadOnlySpan<char> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            int start = index == 0 ? 0 : _ends[index - 1];
            return _chars.AsSpan(start, _ends[index] - start);
        }
    }

    /// <summary>Removes every token (the buffers are kept for reuse).</summary>
    public void Clear() => _length = Count = 0;

    /// <summary>Appends each token as a new string to <paramref name="into"/>.</summary>
    public void AppendTo(List<string> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        foreach (var token in this) into.Add(new string(token));
    }

    /// <summary>The tokens in order, as spans.</summary>
    public Enumerator GetEnumerator() => new(this);

    /// <summary>Enumerates the tokens of a <see cref="TokenSpans"/> as spans.</summary>
    public ref struct Enumerator(TokenSpans tokens)
    {
        private int _index = -1;

        /// <summary>The current token.</summary>
        public readonly ReadOnlySpan<char> Current => tokens[_index];

        /// <summary>Moves to the next token.</summary>
        public bool MoveNext() => ++_index < tokens.Count;
    }

    // Room for at least `length` more characters after the tokens held; the tokenizer writes there and then calls Add.
    internal Span<char> Free(int length)
    {
        if (_chars.Length - _length < length) Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _length + length));
        return _chars.AsSpan(_length);
    }

    // Ends a token of `length` characters written at the start of what Free returned, after the tokens before it.
    internal void Add(int length)
    {
        if (Count == _ends.Length) Array.Resize(ref _ends, _ends.Length * 2);
        _length += length;
        _ends[Count++] = _length;
    }
}
