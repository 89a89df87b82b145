using System.Diagnostics;
using System.Globalization;
using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Distributed;
using GraphCompiler.Runtime.Text;
using GraphCompiler.Samples;

namespace Word2Vec;

/// <summary>
/// The global steps of a data-parallel run (<see cref="DistributedTraining"/>). Before each step the ranks exchange a
/// small report (words and bytes read, last loss, whether they have a batch, want to stop or diverged): the learning
/// rate follows from the words all ranks have read, so it is the same on every rank, and all ranks stop at the same
/// step. A rank whose byte range ran out first keeps joining the steps with no batch (its change is empty) until
/// every rank is done, so every shard is read to its end; the data of a step therefore does not depend on the
/// timing, and a run resumed on as many ranks continues bit for bit (on another number: <see cref="DistributedShards"/>).
/// </summary>
internal sealed class DistributedSteps(Communicator comm, Options options, Corpus corpus, DistributedShards shards,
    Vocabulary vocabulary, long inVocabulary, SkipGram model)
{
    private const int HasBatch = 1, StopRequested = 2, Diverged = 4, Trained = 8;

    /// <summary>What a rank tells the others before a step.</summary>
    private readonly record struct RankReport(long Words, long Done, float Loss, int Flags);

    private volatile bool _stopRequested;

    /// <summary>
    /// Trains to the end of the data, the step cap, a stop request on any rank or a non-finite loss on any rank.
    /// <paramref name="checkpoint"/> runs on every rank (rank 0 writes) at multiples of <see cref="Options.CheckpointEvery"/>
    /// and at the end, with every shard's stream position.
    /// </summary>
    public TrainingResult Run(Action<long, IReadOnlyList<StreamPosition>> checkpoint)
    {
        long allBytes = shards.TotalBytes;
        long totalWords = inVocabulary * options.Epochs, cap = options.Steps ?? long.MaxValue;
        var data = StreamBatches.For(corpus, vocabulary, options);
        var tables = new DistributedTables(comm, options.Sync, model, options.Loss);
        var dataParallel = new DataParallel(comm);
        var reports = new RankReport[comm.Size];
        long step = model.Model.GlobalStep, first = step, lastSaved = step;
        float loss = 0;
        int flags = 0;
        var losses = new List<float>();
        var bar = comm.IsRoot ? new ProgressBar(Console.Out, !Console.IsOutputRedirected) : null;
        var clock = Stopwatch.StartNew();
        var timed = new Stopwatch();
        long timedFrom = -1, sentBefore = 0, receivedBefore = 0, warmup = 5;
        var sync = TimeSpan.Zero;
        double lastDraw = 0;
        var outcome = TrainingOutcome.Finished;
        // Where the run starts, before the first batches are taken (an epoch's end taken with them counts its last words).
        comm.Allgather([new RankReport(shards.Words, shards.Done, 0, 0)], reports);
        long startWords = reports.Sum(r => r.Words), startDone = reports.Sum(r => r.Done);
        using var termination = new TerminationRequest(() => _stopRequested = true);
        using var batches = Dataset.FromEnumerable(() => shards.Batches(data, options.Epochs)).Prefetch(16).GetEnumerator();
        while (true)
        {
            ShardBatch next = default;
            if (step < cap && (flags & Diverged) == 0)
                while (batches.MoveNext())
                {
                    next = batches.Current;
                    if (next.At.Batch is not null) break;
                    shards.Commit(next.Shard, next.At.After);
                }
            var batch = next.At.Batch;
            flags = (flags & (Diverged | Trained)) | (batch is null ? 0 : HasBatch) | (_stopRequested ? StopRequested : 0);
            comm.Allgather([new RankReport(shards.Words, shards.Done, loss, flags)], reports);
            long words = reports.Sum(r => r.Words), done = reports.Sum(r => r.Done);
            var trained = reports.Where(r => (r.Flags & Trained) != 0).ToList();
            if (trained.Count > 0 && step > first) losses.Add(trained.Average(r => r.Loss));
            if (reports.Any(r => (r.Flags & Diverged) != 0)) { outcome = TrainingOutcome.Diverged; break; }
            if (reports.Any(r => (r.Flags & StopRequested) != 0)) { outcome = TrainingOutcome.Interrupted; break; }
            if (!reports.Any(r => (r.Flags & HasBatch) != 0)) break;

            // word2vec's schedule over the words all ranks have read; each rank's update is 1/world of the global step's.
            float rate = options.LearningRate * (float)Math.Max(1e-4, 1 - (double)words / totalWords);
            step++;
            // The sync's time counts the host's row work on both sides of the step (remembering, taking back, adding) and MPI's.
            long rowsStart = Stopwatch.GetTimestamp();
            tables.Before(batch, step - 1);
            sync += Stopwatch.GetElapsedTime(rowsStart);
            flags &= ~Trained;
            if (batch is not null)
            {
                model.Model.GlobalStep = step - 1;
                loss = model.Step(batch, rate / comm.Size);
                flags |= Trained | (float.IsFinite(loss) ? 0 : Diverged);
                shards.Commit(next.Shard, next.At.After);
            }
            long syncStart = Stopwatch.GetTimestamp();
            tables.Combine();
            sync += Stopwatch.GetElapsedTime(syncStart);
            model.Model.GlobalStep = step;
            if (options.CheckReplicas && !dataParallel.ReplicasIdentical(model.Model))
                throw new InvalidOperationException($"the replicas differ after step {step}");
            if (step - first == warmup)
            {
                (timedFrom, sentBefore, receivedBefore, sync) = (step, tables.BytesSent, tables.BytesReceived, TimeSpan.Zero);
                timed.Restart();
            }
            if (step % options.CheckpointEvery == 0)
            {
                checkpoint(step, shards.Gather(comm));
                lastSaved = step;
            }
            if (bar is not null && clock.Elapsed.TotalSeconds - lastDraw >= 0.2)
            {
                lastDraw = clock.Elapsed.TotalSeconds;
                bar.Draw(new Progress(done, startDone, allBytes, options.Epochs, lastDraw), step, losses.Count > 0 ? losses[^1] : loss, (words - startWords) / Math.Max(lastDraw, 1e-9));
            }
        }
        timed.Stop();
        double seconds = clock.Elapsed.TotalSeconds;
        long wordsEnd = reports.Sum(r => r.Words);
        if (outcome != TrainingOutcome.Diverged && step != lastSaved) checkpoint(step, shards.Gather(comm));
        bar?.Finish((wordsEnd - startWords) / Math.Max(seconds, 1e-9));
        if (comm.IsRoot) Report(step - first, step - timedFrom, timed.Elapsed, sync, tables.BytesSent - sentBefore, tables.BytesReceived - receivedBefore, losses, wordsEnd, startWords, outcome);
        return new TrainingResult(step - first, wordsEnd - startWords, seconds, losses.Count > 0 ? losses[^1] : loss, step, outcome);
    }

    // The lines the tests and the benchmark read: time and traffic per step, the loss's course, the words read.
    private void Report(long steps, long timedSteps, TimeSpan timed, TimeSpan sync, long sent, long received, List<float> losses, long words, long startWords, TrainingOutcome outcome)
    {
        string mode = options.Sync.ToString().ToLowerInvariant();
        if (timedSteps > 0 && timedSteps < steps)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{steps} steps on {comm.Size} rank(s), --sync {mode}: {timed.TotalMilliseconds / timedSteps:F3} ms per global step ({sync.TotalMilliseconds / timedSteps:F3} ms of it in the sync; timed over the last {timedSteps}), {sent / timedSteps} bytes sent and {received / timedSteps} received per step per rank"));
        int k = Math.Min(50, losses.Count / 2);
        if (k > 0)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loss: {losses.Take(k).Average():F4} over the first {k} steps, {losses.TakeLast(k).Average():F4} over the last {k}"));
        if (outcome == TrainingOutcome.Finished && options.Steps is null)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"words read: {words} by {comm.Size} rank(s) in {options.Epochs} epoch(s), {words - startWords} of them in this run; the counting pass found {inVocabulary * options.Epochs} ({options.Epochs} × {inVocabulary})"));
        if (options.CheckReplicas) Console.WriteLine($"replicas bit-identical after every one of {steps} steps");
    }
}
