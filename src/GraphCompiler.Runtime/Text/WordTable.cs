using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;

namespace GraphCompiler.Runtime.Text;

/// <summary>
/// A set of words and their indices (in order of insertion), looked up by their UTF-8 bytes: the per-token lookup of
/// a streaming pass, which <see cref="Vocabulary"/> answers and <see cref="VocabularyCounter"/> counts through. Open
/// addressing with linear probing in a table at most half full, each slot holding a word's 32-bit hash beside its
/// index, so a probe compares bytes only when the hashes agree; the words' bytes sit in one array in index order.
/// Words given as characters are stored in <see cref="Wtf8"/>'s byte form (UTF-8, and one form for any string).
/// </summary>
/// <remarks>
/// Why not <c>Dictionary&lt;string, int&gt;</c> with its span lookup: per token it hashed the characters one pair at
/// a time, reduced the hash modulo a prime, followed a bucket to an entry and then to the string object, and that
/// lookup cost about twice the reading and tokenising of the token (benchmarks/word2vec/stream-throughput.cs). Here the
/// hash reads eight bytes per multiply straight from the text, with no decoding to characters, the slot is a mask away,
/// and an absent word usually stops at the first empty slot without touching any bytes.
/// </remarks>
internal sealed class WordTable
{
    private const ulong Multiplier = 0x9E3779B97F4A7C15;   // 2^64 / golden ratio, odd

    private Slot[] _slots;
    private int _mask;
    private byte[] _bytes = new byte[256];
    private int[] _starts = new int[16];   // word i is _bytes[_starts[i] .. _starts[i + 1]]

    // Index + 1, so a zeroed slot is empty.
    private readonly record struct Slot(uint Hash, int IndexPlusOne);

    /// <summary>An empty table with room for <paramref name="capacity"/> words before it grows.</summary>
    public WordTable(int capacity = 0)
    {
        _slots = new Slot[BitOperations.RoundUpToPowerOf2((uint)Math.Max(8, capacity * 2))];
        _mask = _slots.Length - 1;
    }

    /// <summary>A table of <paramref name="words"/>, word i at index i.</summary>
    /// <exception cref="ArgumentException">A word occurs twice.</exception>
    public WordTable(IReadOnlyList<string> words) : this(words.Count)
    {
        for (int i = 0; i < words.Count; i++)
            if (Add(Wtf8.GetBytes(words[i])) is var first && first != i)
                throw new ArgumentException($"'{words[i]}' occurs twice (indices {first} and {i})", nameof(words));
    }

    /// <summary>The number of words held.</summary>
    public int Count { get; private set; }

    /// <summary>The index of <paramref name="word"/> (its UTF-8 bytes, exact match), or -1 if it is not in the table.</summary>
    public int IndexOf(ReadOnlySpan<byte> word)
    {
        uint hash = Hash(word);
        for (int slot = (int)hash & _mask; ; slot = (slot + 1) & _mask)
        {
            var entry = _slots[slot];
            if (entry.IndexPlusOne == 0) return -1;
            if (entry.Hash == hash && Word(entry.IndexPlusOne - 1).SequenceEqual(word)) return entry.IndexPlusOne - 1;
        }
    }

    /// <summary>The index of <paramref name="word"/> (exact, ordinal match), or -1 if it is not in the table.</summary>
    public int IndexOf(ReadOnlySpan<char> word)
    {
        int most = Wtf8.MaxBytes(word.Length);
        byte[]? rented = most <= 512 ? null : ArrayPool<byte>.Shared.Rent(most);
        Span<byte> bytes = rented ?? stackalloc byte[512];
        try { return IndexOf(bytes[..Wtf8.Encode(word, bytes)]); }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The index of <paramref name="word"/>, added as the next index if it is not in the table yet.</summary>
    public int Add(ReadOnlySpan<byte> word)
    {
        uint hash = Hash(word);
        int slot = (int)hash & _mask;
        for (; _slots[slot].IndexPlusOne != 0; slot = (slot + 1) & _mask)
            if (_slots[slot].Hash == hash && Word(_slots[slot].IndexPlusOne - 1).SequenceEqual(word))
                return _slots[slot].IndexPlusOne - 1;

        int index = Count++;
        if (Count + 1 > _starts.Length) Array.Resize(ref _starts, _starts.Length * 2);
        int end = checked(_starts[index] + word.Length);
        if (end > _bytes.Length) Array.Resize(ref _bytes, (int)Math.Min(Array.MaxLength, Math.Max(end, 2L * _bytes.Length)));
        word.CopyTo(_bytes.AsSpan(_starts[index]));
        _starts[index + 1] = end;
        _slots[slot] = new Slot(hash, index + 1);
        if (Count * 2 > _slots.Length) Grow();
        return index;
    }

    /// <summary>The UTF-8 bytes of the word at <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Word(int index) => _bytes.AsSpan(_starts[index], _starts[index + 1] - _starts[index]);

    // Twice the slots, each word re-placed by its stored hash (no bytes are read).
    private void Grow()
    {
        var old = _slots;
        _slots = new Slot[old.Length * 2];
        _mask = _slots.Length - 1;
        foreach (var entry in old)
        {
            if (entry.IndexPlusOne == 0) continue;
            int slot = (int)entry.Hash & _mask;
            while (_slots[slot].IndexPlusOne != 0) slot = (slot + 1) & _mask;
            _slots[slot] = entry;
        }
    }

    /// <summary>
    /// The 32-bit hash the table compares before bytes (its low bits pick the first slot): a multiply per eight bytes
    /// (the last block zero-padded), the rotation bringing each block's high bits down to the bits the next multiply
    /// spreads, and a final mix so the low bits depend on every byte. Not randomised: the words of a corpus are not
    /// chosen by an attacker who sees the table.
    /// </summary>
    internal static uint Hash(ReadOnlySpan<byte> word)
    {
        ulong h = (ulong)word.Length * Multiplier;
        int i = 0;
        for (; i + 8 <= word.Length; i += 8)
            h = BitOperations.RotateLeft((h ^ BinaryPrimitives.ReadUInt64LittleEndian(word[i..])) * Multiplier, 29);
        if (i < word.Length)
        {
            ulong tail = 0;
            for (int k = word.Length - 1; k >= i; k--) tail = (tail << 8) | word[k];
            h = BitOperations.RotateLeft((h ^ tail) * Multiplier, 29);
        }
        h ^= h >> 32;
        h *= Multiplier;
        return (uint)(h >> 32);
    }
}
