namespace GraphCompiler.Runtime.Text;

/// <summary>
/// Tokens held as spans of one reused buffer of <typeparamref name="T"/> (characters for <see cref="TokenSpans"/>,
/// UTF-8 bytes for <see cref="Utf8TokenSpans"/>): a streaming pass tokenises text and looks each token up without a
/// string per token. The tokenizers append to it; <see cref="Clear"/> empties it for the next text.
/// </summary>
/// <remarks>A token's span is valid until the next append or <see cref="Clear"/>.</remarks>
public abstract class TokenBuffer<T> where T : unmanaged
{
    private T[] _items = new T[1024];
    private int[] _ends = new int[256];   // token i is _items[_ends[i - 1] .. _ends[i]] (from 0 for the first)
    private int _length;

    private protected TokenBuffer()
    {
    }

    /// <summary>The number of tokens held.</summary>
    public int Count { get; private set; }

    /// <summary>The token at <paramref name="index"/>, lower-cased as <see cref="Tokenizer"/> writes it.</summary>
    public ReadOnlySpan<T> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            int start = index == 0 ? 0 : _ends[index - 1];
            return _items.AsSpan(start, _ends[index] - start);
        }
    }

    /// <summary>Removes every token (the buffers are kept for reuse).</summary>
    public void Clear() => _length = Count = 0;

    /// <summary>The tokens in order, as spans.</summary>
    public Enumerator GetEnumerator() => new(this);

    /// <summary>Enumerates the tokens of a <see cref="TokenBuffer{T}"/> as spans.</summary>
    public ref struct Enumerator(TokenBuffer<T> tokens)
    {
        private int _index = -1;

        /// <summary>The current token.</summary>
        public readonly ReadOnlySpan<T> Current => tokens[_index];

        /// <summary>Moves to the next token.</summary>
        public bool MoveNext() => ++_index < tokens.Count;
    }

    // Room for at least `length` more items after the tokens held; a tokenizer writes there and then calls Add.
    internal Span<T> Free(int length)
    {
        if (_items.Length - _length < length) Array.Resize(ref _items, Math.Max(_items.Length * 2, _length + length));
        return _items.AsSpan(_length);
    }

    // Ends a token of `length` items written at the start of what Free returned, after the tokens before it.
    internal void Add(int length)
    {
        if (Count == _ends.Length) Array.Resize(ref _ends, _ends.Length * 2);
        _length += length;
        _ends[Count++] = _length;
    }
}
