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

/// <summary>
/// What a training run did: steps and words of this process, the global step it ended at, and the seconds its trainer
/// threads together waited for their next batch (0 when the producers always had one ready).
/// </summary>
public sealed record TrainingResult(long Steps, long WordsTrained, double Seconds, float FinalLoss, long GlobalStep, TrainingOutcome Outcome, double InputWaitSeconds = 0);

/// <summary>
/// Hogwild training as in the original word2vec: the corpus is cut into one byte range per thread
/// (<see cref="Corpus.Split"/>), each thread streams its range from disk through tokenising →
/// subsampling → skip-gram pairs → shuffle → batch (and its noise words) in bounded chunks on a
/// background prefetch thread (<see cref="StreamBatches"/>) and trains its own replica of the model
/// (shared variables, own scratch memory) without locks. The threads take global steps from one shared
/// counter, so the steps of a run are 1..N with no gaps and never pass the step cap; every step keys
/// a different NCE candidate sample. The calling thread draws the progress bar and, with every
/// worker parked between steps (<see cref="WorkerGate"/>), saves checkpoints: the weights, the step
/// and each thread's stream position (<see cref="StreamPosition"/>) are then one consistent state, from
/// which a resumed run continues as if never stopped (bit for bit on one thread).
/// </summary>
public sealed class HogwildTraining
{
    // Batches each producer may hold ready (about 20 ms of one thread's steps, 300 KB). With 16 (about 1.2 ms) the
    // producer had to be scheduled again within a millisecond of waking, which two trainers busy on two cores rarely
    // allow: the trainers waited for it (input_wait_seconds) and every 8 batches cost a wake-up and two context switches.
    private const int ReadAhead = 256;

    private readonly SkipGram _model;
    private readonly Options _options;
    private readonly Corpus _corpus;
    private readonly Vocabulary _vocabulary;
    private readonly long _tokens;
    private readonly IReadOnlyList<CorpusRange> _ranges;
    private readonly ISummarySink? _summaries;
    private readonly StreamPosition[] _positions;
    private readonly long[] _words;   // one counter per 64-byte line: no false sharing
    private readonly long[] _bytes;   // the range's bytes read in the thread's epoch (the progress bar's)
    private readonly float[] _losses;
    private readonly long[] _waits;   // Stopwatch ticks each thread spent waiting for a batch, one per 64-byte line
    private readonly WorkerGate _gate;
    private long _step;
    private long _divergedAt;
    private long _checkpointed;   // the step of the last checkpoint (or of the start)
    private volatile bool _interrupted;

    /// <summary>
    /// Prepares a run over <paramref name="corpus"/>, whose in-vocabulary tokens the counting pass found to be
    /// <paramref name="tokens"/> (the learning-rate schedule's length), from the model's global step.
    /// </summary>
    public HogwildTraining(SkipGram model, Options options, Corpus corpus, Vocabulary vocabulary, long tokens, ISummarySink? summaries)
    {
        _model = model;
        _options = options;
        _corpus = corpus;
        _vocabulary = vocabulary;
        _tokens = tokens;
        _summaries = summaries is null ? null : new InOrderSummaries(summaries);
        Threads = (int)Math.Max(1, Math.Min(options.Threads, tokens / Math.Max(1, options.BatchSize)));
        _ranges = corpus.Split(Threads);
        _positions = [.. _ranges.Select(range => StreamPosition.StartOf(0, range, 0))];
        _words = new long[Threads * 8];
        _bytes = new long[Threads * 8];
        _losses = new float[Threads * 8];
        _waits = new long[Threads * 8];
        _gate = new WorkerGate(Threads);
        _step = _checkpointed = model.Model.GlobalStep;
    }

    /// <summary>The threads that train (at most one per batch of tokens).</summary>
    public int Threads { get; }

    /// <summary>Each thread's data position; consistent with the weights while the workers are parked or gone.</summary>
    public IReadOnlyList<StreamPosition> Positions => _positions;

    /// <summary>Continues each thread where a checkpoint left it.</summary>
    public void Restore(IReadOnlyList<StreamPosition> positions)
    {
        if (positions.Count != Threads)
            throw new InvalidOperationException($"{positions.Count} recorded data positions for {Threads} threads");
        for (int t = 0; t < Threads; t++)
        {
            if (positions[t].At.CompareTo(_ranges[t].From) < 0 || positions[t].At.CompareTo(_ranges[t].To) > 0)
                throw new InvalidOperationException($"thread {t}'s position {positions[t].At} lies outside its range of the corpus");
            _positions[t] = positions[t];
            _words[t * 8] = positions[t].Words;
            _bytes[t * 8] = positions[t].Bytes;
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
        long totalWords = _tokens * _options.Epochs;
        var data = StreamBatches.For(_corpus, _vocabulary, _options);
        var replicas = Enumerable.Range(0, Threads).Select(_ => _model.Replica()).ToArray();
        foreach (var replica in replicas)
        {
            replica.Model.SummarySink = _summaries;
            replica.Model.SummaryEvery = 100;
        }

        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Threads).Select(t =>
        {
            var thread = new Thread(() => Train(t, replicas[t], data, totalWords))
            {
                IsBackground = true,
                Name = $"word2vec-{t}",
            };
            thread.Start();
            return thread;
        }).ToList();

        var bar = new ProgressBar(Console.Out, !Console.IsOutputRedirected);
        var rangeBytes = _ranges.Select(r => _corpus.Offset(r.To) - _corpus.Offset(r.From)).ToArray();
        long Done()
        {
            long done = 0;
            for (int t = 0; t < Threads; t++) done += _positions[t].Epoch * rangeBytes[t] + Volatile.Read(ref _bytes[t * 8]);
            return done;
        }
        long startBytes = Done(), lastSaved = start;
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
            bar.Draw(new Progress(Done(), startBytes, rangeBytes.Sum(), _options.Epochs, seconds), step, MeanLoss(), words / Math.Max(seconds, 1e-9));
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
        double waited = (double)Enumerable.Range(0, Threads).Sum(t => _waits[t * 8]) / Stopwatch.Frequency;
        return new TrainingResult(end - start, trained, total, MeanLoss(), outcome == TrainingOutcome.Diverged ? _divergedAt : end, outcome, waited);
    }

    private void Train(int t, SkipGram replica, StreamBatches data, long totalWords)
    {
        try
        {
            for (int epoch = _positions[t].Epoch; epoch < _options.Epochs; epoch++)
            {
                // The producer thread runs ahead; each batch carries the position after it, so the position (and
                // the learning rate taken from it) does not depend on how far ahead it got.
                var start = _positions[t];
                using var batches = GraphCompiler.Runtime.Data.Dataset.FromEnumerable(() => data.From(_ranges[t], t, Threads, start)).Prefetch(ReadAhead).GetEnumerator();
                while (true)
                {
                    // Time blocked on the producer is time the trainer's core could have stepped: the input wait metric.
                    long waitFrom = Stopwatch.GetTimestamp();
                    bool more = batches.MoveNext();
                    _waits[t * 8] += Stopwatch.GetTimestamp() - waitFrom;
                    if (!more) break;
                    var (batch, after, epochBytes) = batches.Current;
                    if (batch is null)
                    {
                        _positions[t] = after;
                        Volatile.Write(ref _bytes[t * 8], 0);
                        Volatile.Write(ref _words[t * 8], after.Words);
                        break;
                    }
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
                    data.Recycle(batch);
                    _losses[t * 8] = loss;
                    _positions[t] = after;
                    Volatile.Write(ref _bytes[t * 8], epochBytes);
                    Volatile.Write(ref _words[t * 8], after.Words);
                }
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
