using System.Diagnostics;
using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Summaries;
using GraphCompiler.Runtime.Text;
using GraphCompiler.Runtime.Training;

namespace Word2Vec;

/// <summary>What a training run did.</summary>
public sealed record TrainingResult(long Steps, long WordsTrained, double Seconds, float FinalLoss);

/// <summary>
/// Hogwild training as in the original word2vec: the corpus is cut into one contiguous shard per
/// thread, each thread streams its shard through subsampling → skip-gram pairs → shuffle → batch on a
/// background prefetch thread and trains its own replica of the model (shared variables, own scratch
/// memory) without locks. Global steps are interleaved (thread t takes start + t, start + t + T, …)
/// so that every step keys a different NCE candidate sample. The calling thread draws the progress
/// bar, writes words/second summaries and saves checkpoints.
/// </summary>
public sealed class HogwildTraining(SkipGram model, Options options, Vocabulary vocabulary, SummaryWriter? writer, CheckpointCallback? checkpoints)
{
    private long[] _words = [];
    private long[] _steps = [];
    private float[] _losses = [];

    public TrainingResult Run(int[] ids)
    {
        int threads = Math.Max(1, Math.Min(options.Threads, ids.Length / Math.Max(1, options.BatchSize)));
        _words = new long[threads * 8];   // one counter per 64-byte line: no false sharing
        _steps = new long[threads * 8];
        _losses = new float[threads * 8];
        long totalWords = (long)ids.Length * options.Epochs;
        long start = model.Model.GlobalStep;
        var subsampling = options.Subsample > 0 ? new Subsampling(vocabulary.Counts, options.Subsample) : null;
        var replicas = Enumerable.Range(0, threads).Select(_ => model.Replica()).ToArray();
        replicas[0].Model.SummarySink = writer;
        replicas[0].Model.SummaryEvery = 100;

        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(t =>
        {
            int from = (int)((long)ids.Length * t / threads), to = (int)((long)ids.Length * (t + 1) / threads);
            var thread = new Thread(() => Train(t, threads, replicas[t], new ArraySegment<int>(ids, from, to - from), subsampling, start, totalWords))
            {
                IsBackground = true,
                Name = $"word2vec-{t}",
            };
            thread.Start();
            return thread;
        }).ToList();

        var bar = new ProgressBar(Console.Out, !Console.IsOutputRedirected);
        long nextCheckpoint = options.CheckpointEvery * (start / options.CheckpointEvery + 1);
        double lastSummary = 0;
        while (true)
        {
            // Read before the counters: the pass after the last worker ends sees every step, so a short run
            // that finishes between two polls still gets the checkpoints it crossed.
            bool finished = workers.All(w => !w.IsAlive);
            long steps = Sum(_steps), words = Sum(_words);
            double seconds = clock.Elapsed.TotalSeconds;
            float loss = MeanLoss(threads);
            bar.Draw((double)words / totalWords, start + steps, loss, words / Math.Max(seconds, 1e-9));
            if (writer is not null && seconds - lastSummary >= 2)
            {
                writer.Scalar("words_per_second", (float)(words / seconds), start + steps);
                lastSummary = seconds;
            }
            if (checkpoints is not null && start + steps >= nextCheckpoint)
            {
                // Named after the last multiple crossed: one save per poll even when a poll spans several.
                long at = (start + steps) / options.CheckpointEvery * options.CheckpointEvery;
                model.Model.GlobalStep = at;
                checkpoints.OnStepEnd(at, loss);
                nextCheckpoint = at + options.CheckpointEvery;
            }
            if (finished) break;
            workers.FirstOrDefault(w => w.IsAlive)?.Join(200);
        }
        double total = clock.Elapsed.TotalSeconds;
        long done = Sum(_steps);
        model.Model.GlobalStep = start + done;
        bar.Finish(Sum(_words) / Math.Max(total, 1e-9));
        return new TrainingResult(done, Sum(_words), total, MeanLoss(threads));
    }

    private void Train(int t, int threads, SkipGram replica, ArraySegment<int> shard, Subsampling? subsampling, long start, long totalWords)
    {
        var batch = new PairBatch(options.BatchSize, options.Negatives, options.NegativeSharing);
        var noise = options.Loss == LossKind.NegativeSampling ? new NegativeSampler(vocabulary.Counts, (ulong)(options.Seed * 1000 + t)) : null;
        replica.Model.GlobalStep = start + t;
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            ulong seed = (ulong)options.Seed * 7919 + (ulong)(epoch * threads + t);
            var pairs = Dataset.FromEnumerable(() => SkipGramPairs.Generate(Counted(shard, t, subsampling, seed), options.Window, seed))
                .Shuffle(bufferSize: 8192, seed)
                .Batch(options.BatchSize, dropRemainder: true)
                .Prefetch(16);   // refilled in bursts of 8 batches: few producer wake-ups per step
            foreach (var pairBatch in pairs)
            {
                if (options.Steps is { } cap && replica.Model.GlobalStep >= cap) return;
                for (int i = 0; i < pairBatch.Length; i++)
                {
                    batch.Centers[i] = pairBatch[i].Center;
                    batch.Contexts[i] = pairBatch[i].Context;
                }
                noise?.Fill(batch.Negatives);
                // word2vec's schedule: linear decay by the share of the corpus seen, floored at 1e-4 of the start.
                double progress = (double)Sum(_words) / totalWords;
                float rate = options.LearningRate * (float)Math.Max(1e-4, 1 - progress);
                _losses[t * 8] = replica.Step(batch, rate);
                replica.Model.GlobalStep += threads - 1;
                Volatile.Write(ref _steps[t * 8], _steps[t * 8] + 1);
            }
        }
    }

    // Counts raw in-vocabulary words as they are read (before subsampling), the way gensim counts words/s.
    private IEnumerable<int> Counted(ArraySegment<int> shard, int t, Subsampling? subsampling, ulong seed)
    {
        IEnumerable<int> Read()
        {
            foreach (int id in shard)
            {
                Volatile.Write(ref _words[t * 8], _words[t * 8] + 1);
                yield return id;
            }
        }
        return subsampling is null ? Read() : subsampling.Apply(Read(), seed);
    }

    private static long Sum(long[] slots)
    {
        long sum = 0;
        for (int i = 0; i < slots.Length; i += 8) sum += Volatile.Read(ref slots[i]);
        return sum;
    }

    private float MeanLoss(int threads)
    {
        float sum = 0;
        for (int t = 0; t < threads; t++) sum += _losses[t * 8];
        return sum / threads;
    }
}
