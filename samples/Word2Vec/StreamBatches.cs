using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using GraphCompiler.Runtime.Text;

namespace Word2Vec;

/// <summary>A batch and the stream position after it (null batch: the epoch's end); <see cref="EpochBytes"/> is the range's bytes read so far this epoch.</summary>
public readonly record struct BatchAt(PairBatch? Batch, StreamPosition After, long EpochBytes);

/// <summary>
/// One Hogwild thread's data: its byte range of the corpus streamed in chunks of about <see cref="ChunkBytes"/>
/// of text, each read and tokenised, kept to its in-vocabulary ids, subsampled, turned into skip-gram pairs,
/// shuffled and batched with its noise words. Every stage of a chunk is seeded by (seed, epoch, thread, chunk)
/// and its last partial batch is dropped, so a chunk's batches depend on nothing before its start: a resumed
/// thread reopens the stream at the recorded chunk and skips the batches already trained, and memory holds one
/// chunk whatever the corpus length. Windows do not reach across a chunk's ends, as word2vec's do not across its
/// 1000-word sentences.
/// </summary>
public sealed class StreamBatches(Corpus corpus, Vocabulary vocabulary, Options options, Subsampling? subsampling, NegativeSampler? noise)
{
    /// <summary>Text bytes per chunk: about 12,000 tokens of English, so the dropped partial batch is about 0.1 % of the pairs.</summary>
    public const int ChunkBytes = 1 << 16;

    // Pairs shuffled at a time within a chunk (about a sixth of a chunk's pairs).
    private const int ShuffleBuffer = 8192;

    /// <summary>
    /// The batches of <paramref name="corpus"/> as <paramref name="options"/> make them (subsampled when <see cref="Options.Subsample"/>
    /// is above 0). The noise distribution's tables are built here once: each chunk's sampler shares them with its own seed
    /// (building them per chunk cost O(vocabulary) powers and allocations every 12,000 tokens).
    /// </summary>
    public static StreamBatches For(Corpus corpus, Vocabulary vocabulary, Options options) =>
        new(corpus, vocabulary, options, options.Subsample > 0 ? new Subsampling(vocabulary.Counts, options.Subsample) : null,
            options.Loss == LossKind.NegativeSampling ? new NegativeSampler(vocabulary.Counts, seed: 0) : null);

    // Batches given back after their step, filled again instead of allocating: an epoch makes hundreds of thousands,
    // and new ones cost allocation, collections that pause the trainers, and cache misses on fresh memory.
    private readonly ConcurrentQueue<PairBatch> _recycled = new();

    /// <summary>
    /// Gives <paramref name="batch"/> (one of these batches) back once nothing reads it any more, so a later batch reuses
    /// its arrays; a batch never given back is simply collected.
    /// </summary>
    public void Recycle(PairBatch batch) => _recycled.Enqueue(batch);

    /// <summary>The error for a corpus that gives not one batch with <paramref name="options"/>.</summary>
    public static GraphCompiler.Samples.UserError NoBatch(Options options, string corpus) =>
        new("corpus", $"too small for the settings: it gave no batch of {options.BatchSize} skip-gram pairs (lower --batch, --min-count or --subsample, or use a larger corpus)", corpus);

    /// <summary>The batches of thread <paramref name="thread"/>'s range from <paramref name="start"/> to the epoch's end, then the end marker.</summary>
    public IEnumerable<BatchAt> From(CorpusRange range, int thread, int threads, StreamPosition start)
    {
        using var reader = corpus.OpenReader(range with { From = start.At });
        var tokens = new Utf8TokenSpans();
        var ids = new List<int>();
        var pairs = new ShuffledSkipGramPairs(options.Window, ShuffleBuffer, subsampling);
        int chunk = start.Chunk;
        long words = start.ChunkWords, bytes = start.Bytes, skip = start.Batches;
        var at = start.At;
        bool more = true;
        while (more)
        {
            ids.Clear();
            long chunkStart = reader.BytesRead;
            while (reader.BytesRead - chunkStart < ChunkBytes && (more = reader.Read(tokens)))
            {
                foreach (var token in tokens)
                    if (vocabulary.IdOf(token) is var id and not Vocabulary.UnknownId) ids.Add(id);
                tokens.Clear();
            }
            long chunkBytes = reader.BytesRead - chunkStart, batches = 0;
            ulong seed = (((ulong)options.Seed * 7919 + (ulong)start.Epoch) * 7919 + (ulong)thread) * 0x100000001B3UL + (ulong)chunk * (ulong)threads;
            foreach (var (batch, read) in Batches(pairs, ids, seed))
            {
                if (++batches <= skip) continue;
                yield return new BatchAt(batch, new StreamPosition(start.Epoch, chunk, at, bytes, words, batches, words + read), bytes + chunkBytes);
            }
            skip = 0;
            words += ids.Count;
            bytes += chunkBytes;
            chunk++;
            at = reader.Position;
        }
        yield return new BatchAt(null, StreamPosition.StartOf(start.Epoch + 1, range, words), bytes);
    }

    // A chunk's batches, each with its noise words and the chunk's ids read when it was complete; the last partial batch is dropped.
    private IEnumerable<(PairBatch Batch, long Read)> Batches(ShuffledSkipGramPairs pairs, List<int> chunk, ulong seed)
    {
        var chunkNoise = noise?.WithSeed(seed * 0x9E3779B97F4A7C15UL + 1);
        pairs.Reset(CollectionsMarshal.AsSpan(chunk), seed);
        while (true)
        {
            if (!_recycled.TryDequeue(out var batch)) batch = new PairBatch(options.BatchSize, options.Negatives, options.NegativeSharing);
            if (pairs.Fill(batch.Centers, batch.Contexts) < options.BatchSize)
            {
                _recycled.Enqueue(batch);
                yield break;
            }
            chunkNoise?.Fill(batch.Negatives);
            yield return (batch, pairs.Read);
        }
    }
}
