using System.Numerics;
using System.Runtime.InteropServices;

namespace GraphCompiler.Runtime.Text;

/// <summary>
/// A fixed set of words and their indices, looked up by a span of characters: the per-token lookup of a streaming
/// pass, which <see cref="Vocabulary"/> answers through it. Open addressing with linear probing in a table at most
/// half full, each slot holding a word's 32-bit hash beside its index, so a probe compares characters only when the
/// hashes agree; the words' characters sit in one array in index order.
/// </summary>
/// <remarks>
/// Why not <c>Dictionary&lt;string, int&gt;</c> with its span lookup: per token it hashed the characters one pair at
/// a time, reduced the hash modulo a prime, followed a bucket to an entry and then to the string object, and that
/// lookup cost about twice the reading and tokenising of the token (benchmarks/word2vec/stream-throughput.cs). Here the hash
/// reads four characters per multiply, the slot is a mask away, and an absent word usually stops at the first
/// empty slot without touching any characters.
/// </remarks>
internal sealed class WordTable
{
    private const ulong Multiplier = 0x9E3779B97F4A7C15;   // 2^64 / golden ratio, odd

    private readonly Slot[] _slots;
    private readonly int _mask;
    private readonly char[] _chars;
    private readonly int[] _starts;   // word i is _chars[_starts[i] .. _starts[i + 1]]

    // Index + 1, so a zeroed slot is empty.
    private readonly record struct Slot(uint Hash, int IndexPlusOne);

    /// <exception cref="ArgumentException">A word occurs twice.</exception>
    public WordTable(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        _slots = new Slot[BitOperations.RoundUpToPowerOf2((uint)Math.Max(8, words.Count * 2))];
        _mask = _slots.Length - 1;
        _starts = new int[words.Count + 1];
        for (int i = 0; i < words.Count; i++) _starts[i + 1] = checked(_starts[i] + words[i].Length);
        _chars = new char[_starts[^1]];
        for (int i = 0; i < words.Count; i++)
        {
            var word = words[i].AsSpan();
            word.CopyTo(_chars.AsSpan(_starts[i]));
            uint hash = Hash(word);
            int slot = (int)hash & _mask;
            for (; _slots[slot].IndexPlusOne != 0; slot = (slot + 1) & _mask)
                if (_slots[slot].Hash == hash && Word(_slots[slot].IndexPlusOne - 1).SequenceEqual(word))
                    throw new ArgumentException($"'{words[i]}' occurs twice (indices {_slots[slot].IndexPlusOne - 1} and {i})", nameof(words));
            _slots[slot] = new Slot(hash, i + 1);
        }
    }

    /// <summary>The index of <paramref name="word"/> (exact, ordinal match), or -1 if it is not in the table.</summary>
    public int IndexOf(ReadOnlySpan<char> word)
    {
        uint hash = Hash(word);
        for (int slot = (int)hash & _mask; ; slot = (slot + 1) & _mask)
        {
            var entry = _slots[slot];
            if (entry.IndexPlusOne == 0) return -1;
            if (entry.Hash == hash && Word(entry.IndexPlusOne - 1).SequenceEqual(word)) return entry.IndexPlusOne - 1;
        }
    }

    private ReadOnlySpan<char> Word(int index) => _chars.AsSpan(_starts[index], _starts[index + 1] - _starts[index]);

    /// <summary>
    /// The 32-bit hash the table compares before characters (its low bits pick the first slot): a multiply per four
    /// characters, the rotation bringing each block's high bits down to the bits the next multiply spreads, and a final
    /// mix so the low bits depend on every character. Not randomised: the words of a corpus are not chosen by an attacker
    /// who sees the table.
    /// </summary>
    internal static uint Hash(ReadOnlySpan<char> word)
    {
        ulong h = (ulong)word.Length * Multiplier;
        var blocks = MemoryMarshal.Cast<char, ulong>(word);
        foreach (ulong block in blocks) h = BitOperations.RotateLeft((h ^ block) * Multiplier, 29);
        foreach (char c in word[(blocks.Length * 4)..]) h = BitOperations.RotateLeft((h ^ c) * Multiplier, 29);
        h ^= h >> 32;
        h *= Multiplier;
        return (uint)(h >> 32);
    }
}
