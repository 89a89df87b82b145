using GraphCompiler.Runtime.Distributed;
using GraphCompiler.Runtime.Text;

namespace Word2Vec;

/// <summary>A batch of one shard (null batch: the end of the shard's epoch).</summary>
internal readonly record struct ShardBatch(int Shard, BatchAt At);

/// <summary>
/// The data of a data-parallel run, in a form that does not depend on the number of ranks: the corpus cut into a fixed
/// number of byte ranges, the shards (<see cref="Corpus.Split"/>; <see cref="PerRank"/> per rank of the run that
/// started), each streamed with seeds of its own index (<see cref="StreamBatches.From"/>), so a shard's batches are
/// the same whichever rank reads it. Rank k of N reads the contiguous block of shards
/// [k·S/N, (k+1)·S/N), epoch after epoch. A checkpoint records every shard's <see cref="StreamPosition"/> (epoch,
/// chunk, batches of the chunk trained, words read in all); a resumed run of any number of ranks up to S deals the
/// shards out again and continues each one where it stopped: no batch of an epoch is trained twice or skipped, and
/// with the same number of ranks the run continues bit for bit. With another number the global batches are made of
/// other ranks' batches, as they would be in a run of that size.
/// </summary>
internal sealed class DistributedShards
{
    /// <summary>Shards per rank of a fresh run: enough that a resume on more ranks has shards to give each of them.</summary>
    public const int PerRank = 8;

    private readonly StreamPosition[] _states;
    private readonly long[] _bytes;

    /// <param name="states">Every shard's position (a fresh run's: <see cref="Fresh"/>; a resumed one's: its checkpoint's).</param>
    public DistributedShards(Corpus corpus, StreamPosition[] states, int rank, int ranks)
    {
        if (states.Length < ranks) throw new ArgumentException($"{states.Length} shards cannot be dealt to {ranks} ranks", nameof(states));
        _states = states;
        Ranges = corpus.Split(states.Length);
        _bytes = [.. Ranges.Select(r => corpus.Offset(r.To) - corpus.Offset(r.From))];
        (From, To) = Block(states.Length, rank, ranks);
    }

    // The shards rank k of N reads: [k·S/N, (k+1)·S/N).
    private static (int From, int To) Block(int shards, int rank, int ranks) =>
        ((int)((long)shards * rank / ranks), (int)((long)shards * (rank + 1) / ranks));

    /// <summary>The positions of a fresh run's <paramref name="count"/> shards.</summary>
    public static StreamPosition[] Fresh(Corpus corpus, int count) => [.. corpus.Split(count).Select(r => StreamPosition.StartOf(0, r, 0))];

    /// <summary>The shards' byte ranges, in corpus order.</summary>
    public IReadOnlyList<CorpusRange> Ranges { get; }

    /// <summary>The first shard this rank reads.</summary>
    public int From { get; }

    /// <summary>One past the last shard this rank reads.</summary>
    public int To { get; }

    /// <summary>The corpus's text bytes (all shards).</summary>
    public long TotalBytes => _bytes.Sum();

    /// <summary>In-vocabulary words this rank's shards have had trained, in all epochs (the learning-rate schedule's progress).</summary>
    public long Words
    {
        get
        {
            long words = 0;
            for (int s = From; s < To; s++) words += _states[s].Words;
            return words;
        }
    }

    /// <summary>Text bytes of this rank's shards trained, all epochs counted (up to the chunk in training; for the progress bar).</summary>
    public long Done
    {
        get
        {
            long done = 0;
            for (int s = From; s < To; s++) done += _states[s].Epoch * _bytes[s] + _states[s].Bytes;
            return done;
        }
    }

    /// <summary>Records that this rank trained shard <paramref name="shard"/> up to <paramref name="after"/>.</summary>
    public void Commit(int shard, StreamPosition after)
    {
        if (shard < From || shard >= To) throw new ArgumentOutOfRangeException(nameof(shard), shard, $"this rank reads shards {From}..{To - 1}");
        _states[shard] = after;
    }

    /// <summary>
    /// This rank's batches from the committed positions to the end of epoch <paramref name="epochs"/> − 1: epoch by epoch,
    /// each shard of the block in order from where it stands (a shard already in a later epoch waits for it).
    /// </summary>
    public IEnumerable<ShardBatch> Batches(StreamBatches data, int epochs)
    {
        var at = _states[From..To];
        for (int epoch = 0; epoch < epochs; epoch++)
            for (int s = From; s < To; s++)
            {
                if (at[s - From].Epoch != epoch) continue;
                foreach (var b in data.From(Ranges[s], s, _states.Length, at[s - From]))
                {
                    yield return new ShardBatch(s, b);
                    if (b.Batch is null) at[s - From] = b.After;
                }
            }
    }

    /// <summary>Every shard's committed position, each from the rank that reads it (a collective), for rank 0's checkpoint.</summary>
    public StreamPosition[] Gather(Communicator comm)
    {
        var all = new StreamPosition[_states.Length * comm.Size];
        comm.Allgather(_states, all);
        var owned = new StreamPosition[_states.Length];
        for (int rank = 0; rank < comm.Size; rank++)
        {
            var (from, to) = Block(owned.Length, rank, comm.Size);
            Array.Copy(all, rank * owned.Length + from, owned, from, to - from);
        }
        return owned;
    }
}
