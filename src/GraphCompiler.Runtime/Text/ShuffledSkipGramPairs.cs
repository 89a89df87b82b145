using GraphCompiler.Runtime.Data;

namespace GraphCompiler.Runtime.Text;

/// <summary>
/// The skip-gram pairs of one sequence of ids, subsampled and shuffled: exactly what
/// <c>Dataset.FromEnumerable(() =&gt; SkipGramPairs.Generate(subsampling.Apply(ids, seed), window, seed)).Shuffle(bufferSize, seed)</c>
/// yields, in the same order, with <see cref="Read"/> the ids that composition has pulled from the input by then.
/// One object is reused for sequence after sequence (<see cref="Reset"/>), and <see cref="Fill"/> writes pairs straight
/// into a batch's arrays.
/// </summary>
/// <remarks>
/// Why not the composition itself: it is three enumerators deep, so every pair cost an interface call per stage plus
/// the shuffle's tuple copy, and a Word2Vec epoch makes tens of millions of pairs on the same cores that train
/// (about two thirds of its data side's CPU time). Here the stages are one state machine with the composition's lazy pull
/// order: the pair stage reads ahead only when it moves to a new center, the shuffle refills the slot it gave only
/// when asked for the next pair, so every random draw and every pull happens at the same point and the output and
/// <see cref="Read"/> are the composition's (tests compare them).
/// </remarks>
public sealed class ShuffledSkipGramPairs
{
    private readonly int _window;
    private readonly Subsampling? _subsampling;
    private readonly SkipGramPair[] _buffer;
    private readonly int[] _ring;   // the pair stage's ids, keyed by position: center - window .. center + window
    private int[] _ids = new int[1 << 14];
    private int _length;

    // Subsampling: the next input id to pull and its draws.
    private int _position;
    private SplitMix64 _keepRandom = new(0);

    // Pairs: ids taken from the subsampler, the center being paired, its context positions left, its draws.
    private long _filled, _center, _context, _last;
    private int _centerId;
    private bool _more, _pairing;
    private SplitMix64 _reachRandom = new(0);

    // Shuffle: pairs held, the slot last given (refilled on the next request), its draws.
    private int _count, _given;
    private bool _started, _exhausted;
    private ShuffleRandom _shuffleRandom;

    /// <param name="window">The pair stage's window (at least 1).</param>
    /// <param name="bufferSize">The shuffle's buffer (at least 1).</param>
    /// <param name="subsampling">The subsampling of frequent words, or null for none.</param>
    public ShuffledSkipGramPairs(int window, int bufferSize, Subsampling? subsampling)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1);
        _window = window;
        _subsampling = subsampling;
        _buffer = new SkipGramPair[bufferSize];
        _ring = new int[2 * window + 1];
    }

    /// <summary>Ids of the current sequence that the subsampling stage has pulled so far.</summary>
    public long Read => _position;

    /// <summary>Starts over on <paramref name="ids"/> (copied), every stage seeded with <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">With subsampling, an id is outside its counts.</exception>
    public void Reset(ReadOnlySpan<int> ids, ulong seed)
    {
        if (_subsampling is { } subsampling)
            foreach (int id in ids)
                if ((uint)id >= (uint)subsampling.Count)
                    throw new ArgumentOutOfRangeException(nameof(ids), id, $"id outside 0..{subsampling.Count - 1}");
        if (_ids.Length < ids.Length) _ids = new int[Math.Max(ids.Length, _ids.Length * 2)];
        ids.CopyTo(_ids);
        _length = ids.Length;
        _position = 0;
        _keepRandom = new SplitMix64(seed);
        _filled = _center = 0;
        _more = true;
        _pairing = false;
        _reachRandom = new SplitMix64(seed);
        _count = 0;
        _given = -1;
        _started = _exhausted = false;
        _shuffleRandom = ShuffleRandom.ForPass(seed, 0);
    }

    /// <summary>
    /// Writes the next pairs to <paramref name="centers"/> and <paramref name="contexts"/> (of equal length); returns how
    /// many, fewer than their length only when the sequence's pairs have run out.
    /// </summary>
    public int Fill(Span<int> centers, Span<int> contexts)
    {
        if (contexts.Length != centers.Length) throw new ArgumentException("the centers and the contexts must be as long", nameof(contexts));
        for (int i = 0; i < centers.Length; i++)
        {
            if (!NextShuffled(out var pair)) return i;
            centers[i] = pair.Center;
            contexts[i] = pair.Context;
        }
        return centers.Length;
    }

    private bool NextShuffled(out SkipGramPair pair)
    {
        if (!_started)
        {
            _started = true;
            while (_count < _buffer.Length)
            {
                if (!NextPair(out _buffer[_count]))
                {
                    _exhausted = true;
                    break;
                }
                _count++;
            }
        }
        else if (_given >= 0)
        {
            // The slot given last is refilled only now, as the shuffle's enumerator refills it on its next step.
            if (_exhausted || !NextPair(out _buffer[_given]))
            {
                _exhausted = true;
                _buffer[_given] = _buffer[--_count];
            }
        }
        if (_count == 0)
        {
            _given = -1;
            pair = default;
            return false;
        }
        _given = _shuffleRandom.NextInt(_count);
        pair = _buffer[_given];
        return true;
    }

    private bool NextPair(out SkipGramPair pair)
    {
        int size = _ring.Length;
        while (true)
        {
            if (_pairing)
            {
                while (_context <= _last)
                {
                    long j = _context++;
                    if (j != _center)
                    {
                        pair = new SkipGramPair(_centerId, _ring[j % size]);
                        return true;
                    }
                }
                _center++;
                _pairing = false;
            }
            while (_more && _filled <= _center + _window)
            {
                if (NextKept(out int id)) _ring[_filled++ % size] = id;
                else _more = false;
            }
            if (_center >= _filled)
            {
                pair = default;
                return false;
            }
            int reach = 1 + _reachRandom.NextInt(_window);
            _context = Math.Max(0, _center - reach);
            _last = Math.Min(_filled - 1, _center + reach);
            _centerId = _ring[_center % size];
            _pairing = true;
        }
    }

    private bool NextKept(out int id)
    {
        while (_position < _length)
        {
            id = _ids[_position++];
            if (_subsampling is null || _keepRandom.NextDouble() < _subsampling.KeepProbability(id)) return true;
        }
        id = 0;
        return false;
    }
}
