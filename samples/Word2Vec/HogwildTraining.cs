using System.Diagnostics;
using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Summaries;
using GraphCompiler.Runtime.Text;

namespace Word2Vec;

/// <summary>How a training run ended.</summary>
public enum TrainingOutcome
{
    /// <summary>Every epoch was trained, or the step cap reached.</summary>
    Finished,

    /// <summary>Stopped on request (SIGINT/SIGTERM) after a checkpoint.</summary>
    Interrupted,

    /// <summary>The loss became NaN or infinite; nothing was saved after it.</summary>
    Diverged,
}

/// <summary>What a training run did: steps and words of this process, the global step it ended at.</summary>
public sealed record TrainingResult(long Steps, long WordsTrained, double Seconds, float FinalLoss, long GlobalStep, TrainingOutcome Outcome);

/// <summary>
/// Hogwild training as in the original word2vec: the corpus is cut into one contiguous shard per
/// thread, each thread streams its shard through subsampling → skip-gram pairs → shuffle → batch (and
/// its noise words) on a background prefetch thread and trains its own replica of the model (shared
/// variables, own scratch memory) without locks. The threads take global steps from one shared
/// counter, so the steps of a run are 1..N with no gaps and never pass the step cap; every step keys
/// a different NCE candidate sample. The calling thread draws the progress bar and, with every
/// worker parked between steps (<see cref="WorkerGate"/>), saves checkpoints: the weights, the step
/// and each thread's data position (<see cref="ShardPosition"/>) are then one consistent state, from
/// which a resumed run continues as if never stopped (bit for bit on one thread).
/// </summary>
public sealed class HogwildTraining
{
    private readonly SkipGram _model;
    private readonly Options _options;
    private readonly Vocabulary _vocabulary;
    private readonly int[] _ids;
    private readonly ISummarySink? _summaries;
    private readonly ShardPosition[] _positions;
    private readonly long[] _words;   // one counter per 64-byte line: no false sharing
    private readonly float[] _losses;
    private readonly WorkerGate _gate;
    private long _step;
    private long _divergedAt;
    private long _checkpointed;   // the step of the last checkpoint (or of the start)
    private volatile bool _interrupted;

    /// <summary>Prepares a run over <paramref name="ids"/> (the in-vocabulary tokens) from the model's global step.</summary>
    public HogwildTraining(SkipGram model, Options options, Vocabulary vocabulary, int[] ids, ISummarySink? summaries)
    {
        _model = model;
        _options = options;
        _vocabulary = vocabulary;
        _ids = ids;
        _summaries = summaries is null ? null : new InOrderSummaries(summaries);
        Threads = Math.Max(1, Math.Min(options.Threads, ids.Length / Math.Max(1, options.BatchSize)));
        _positions = new ShardPosition[Threads];
        _words = new long[Threads * 8];
        _losses = new float[Threads * 8];
        _gate = new WorkerGate(Threads);
        _step = _checkpointed = model.Model.GlobalStep;
    }

    /// <summary>The threads that train (at most one per batch of tokens).</summary>
    public int Threads { get; }

    /// <summary>Each thread's data position; consistent with the weights while the workers are parked or gone.</summary>
    public IReadOnlyList<ShardPosition> Positions => _positions;

    /// <summary>Continues each thread where a checkpoint left it.</summary>
    public void Restore(IReadOnlyList<ShardPosition> positions)
    {
        if (positions.Count != Threads)
            throw new InvalidOperationException($"{positions.Count} recorded data positions for {Threads} threads");
        for (int t = 0; t < Threads; t++)
        {
            _positions[t] = positions[t];
            _words[t * 8] = positions[t].Words;
        }
    }

    /// <summary>Asks the run to stop after the current steps, save a checkpoint and return (SIGINT/SIGTERM).</summary>
    public void Interrupt()
    {
        _interrupted = true;
        _gate.RequestPause();
    }

    /// <summary>
    /// Trains until the data or the step cap runs out, an interrupt or a non-finite loss.
    /// <paramref name="checkpoint"/> is called with the global step whenever the workers are parked at a
    /// consistent state (every <see cref="Options.CheckpointEvery"/> steps and on an interrupt); the final
    /// state is left for the caller to save.
    /// </summary>
    public TrainingResult Run(Action<long> checkpoint)
    {
        long start = _step, startWords = Sum(_words);
        long totalWords = (long)_ids.Length * _options.Epochs;
        var subsampling = _options.Subsample > 0 ? new Subsampling(_vocabulary.Counts, _options.Subsample) : null;
        var replicas = Enumerable.Range(0, Threads).Select(_ => _model.Replica()).ToArray();
        foreach (var replica in replicas)
        {
            replica.Model.SummarySink = _summaries;
            replica.Model.SummaryEvery = 100;
        }

        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Threads).Select(t =>
        {
            int from = (int)((long)_ids.Length * t / Threads), to = (int)((long)_ids.Length * (t + 1) / Threads);
            var thread = new Thread(() => Train(t, replicas[t], new ArraySegment<int>(_ids, from, to - from), subsampling, totalWords))
            {
                IsBackground = true,
                Name = $"word2vec-{t}",
            };
            thread.Start();
            return thread;
        }).ToList();

        var bar = new ProgressBar(Console.Out, !Console.IsOutputRedirected);
        long lastSaved = start;
        double lastSummary = 0;
        while (true)
        {
            bool pause = _gate.WaitForPauseOrEnd(TimeSpan.FromMilliseconds(200));
            if (_interrupted && !pause)
            {
                // An interrupt that came while the last checkpoint's pause was being released.
                _gate.RequestPause();
                pause = true;
            }
            long step = Volatile.Read(ref _step), words = Sum(_words) - startWords;
            double seconds = clock.Elapsed.TotalSeconds;
            bar.Draw((double)Sum(_words) / totalWords, step, MeanLoss(), words / Math.Max(seconds, 1e-9));
            if (_summaries is not null && seconds - lastSummary >= 2)
            {
                _summaries.Scalar("words_per_second", (float)(words / seconds), step);
                lastSummary = seconds;
            }
            if (pause)
            {
                _gate.WaitUntilParked();
                if (Interlocked.Read(ref _divergedAt) != 0) break;
                step = Volatile.Read(ref _step);
                _model.Model.GlobalStep = step;
                if (step != lastSaved) checkpoint(step);
                lastSaved = step;
                Volatile.Write(ref _checkpointed, step);
                if (_interrupted)
                {
                    _gate.Stop();
                    break;
                }
                _gate.Release();
            }
            if (_gate.AllLeft) break;
        }
        foreach (var worker in workers) worker.Join();

        double total = clock.Elapsed.TotalSeconds;
        long end = Volatile.Read(ref _step), trained = Sum(_words) - startWords;
        _model.Model.GlobalStep = end;
        bar.Finish(trained / Math.Max(total, 1e-9));
        var outcome = Interlocked.Read(ref _divergedAt) != 0 ? TrainingOutcome.Diverged : _interrupted ? TrainingOutcome.Interrupted : TrainingOutcome.Finished;
        return new TrainingResult(end - start, trained, total, MeanLoss(), outcome == TrainingOutcome.Diverged ? _divergedAt : end, outcome);
    }

    private void Train(int t, SkipGram replica, ArraySegment<int> shard, Subsampling? subsampling, long totalWords)
    {
        try
        {
            var at = _positions[t];
            for (int epoch = at.Epoch; epoch < _options.Epochs; epoch++)
            {
                long skip = epoch == at.Epoch ? at.Batches : 0, batches = 0;
                // The producer thread runs ahead; what it has read is recorded in each batch, so the position
                // (and the learning rate taken from it) does not depend on how far ahead it got.
                var data = Dataset.FromEnumerable(() => Batches(shard, t, epoch, subsampling)).Prefetch(16);
                foreach (var batch in data)
                {
                    if (batches++ < skip) continue;
                    if (NextStep() is not { } step) return;
                    // word2vec's schedule: linear decay by the share of the corpus seen, floored at 1e-4 of the start.
                    double progress = (double)Sum(_words) / totalWords;
                    float rate = _options.LearningRate * (float)Math.Max(1e-4, 1 - progress);
                    replica.Model.GlobalStep = step - 1;
                    float loss = replica.Step(batch, rate);
                    if (!float.IsFinite(loss))
                    {
                        Interlocked.CompareExchange(ref _divergedAt, step, 0);
                        _gate.Stop();
                        return;
                    }
                    _losses[t * 8] = loss;
                    long words = (long)epoch * shard.Count + batch.WordsRead;
                    _positions[t] = new ShardPosition(epoch, batches, words);
                    Volatile.Write(ref _words[t * 8], words);
                }
                _positions[t] = new ShardPosition(epoch + 1, 0, (long)(epoch + 1) * shard.Count);
                Volatile.Write(ref _words[t * 8], _positions[t].Words);
            }
        }
        finally
        {
            _gate.Leave();
        }
    }

    // The next global step, or null when the workers are to stop. The shared counter never passes the cap,
    // and a multiple of --checkpoint-every is not passed before its checkpoint: every thread parks there, so
    // checkpoints fall on those steps whatever the thread count.
    private long? NextStep()
    {
        long cap = _options.Steps ?? long.MaxValue;
        while (_gate.Continue())
        {
            long current = Volatile.Read(ref _step);
            if (current >= cap) return null;
            if (current % _options.CheckpointEvery == 0 && current != Volatile.Read(ref _checkpointed))
            {
                _gate.RequestPause();
                continue;
            }
            if (Interlocked.CompareExchange(ref _step, current + 1, current) == current) return current + 1;
        }
        return null;
    }

    // One epoch of a thread's shard as batches, each with its noise words and the shard words read so far.
    // Every stage is seeded by (seed, epoch, thread), so an epoch can be replayed up to a recorded batch.
    private IEnumerable<PairBatch> Batches(ArraySegment<int> shard, int t, int epoch, Subsampling? subsampling)
    {
        ulong seed = (ulong)_options.Seed * 7919 + (ulong)(epoch * Threads + t);
        var noise = _options.Loss == LossKind.NegativeSampling ? new NegativeSampler(_vocabulary.Counts, seed * 0x9E3779B97F4A7C15UL + 1) : null;
        long read = 0;
        IEnumerable<int> Counted()
        {
            foreach (int id in shard)
            {
                read++;
                yield return id;
            }
        }
        var ids = subsampling is null ? Counted() : subsampling.Apply(Counted(), seed);
        var pairs = Dataset.FromEnumerable(() => SkipGramPairs.Generate(ids, _options.Window, seed)).Shuffle(bufferSize: 8192, seed);
        var batch = new PairBatch(_options.BatchSize, _options.Negatives, _options.NegativeSharing);
        int filled = 0;
        foreach (var pair in pairs)
        {
            batch.Centers[filled] = pair.Center;
            batch.Contexts[filled] = pair.Context;
            if (++filled < _options.BatchSize) continue;
            noise?.Fill(batch.Negatives);
            batch.WordsRead = read;
            yield return batch;
            batch = new PairBatch(_options.BatchSize, _options.Negatives, _options.NegativeSharing);
            filled = 0;
        }
    }

    private static long Sum(long[] slots)
    {
        long sum = 0;
        for (int i = 0; i < slots.Length; i += 8) sum += Volatile.Read(ref slots[i]);
        return sum;
    }

    private float MeanLoss()
    {
        float sum = 0;
        for (int t = 0; t < Threads; t++) sum += _losses[t * 8];
        return sum / Threads;
    }
}
