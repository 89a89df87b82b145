using System.Diagnostics;
using System.Globalization;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Checkpoints;
using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Distributed;
using GraphCompiler.Runtime.Summaries;
using GraphCompiler.Samples;

namespace Digits;

/// <summary>The settings of a <c>--distributed</c> run.</summary>
public sealed record DistributedOptions(string Model, long Steps, int Batch, float LearningRate, string LogDir, int CheckpointEvery, bool Resume, int TimeoutSeconds, bool CheckReplicas, int LogEvery, bool TimeCommunication = false, bool Overlap = true);

/// <summary>
/// Data-parallel training, started as <c>mpirun -np N dotnet Digits.dll --distributed</c>: every rank holds
/// a replica (its own seed, so dropout would differ; the variables are broadcast from rank 0), reads its
/// shard of each global batch, computes its gradients, all-reduces them (mean over the ranks, in the
/// buckets planned at build time, each started as soon as the backward pass completes it unless
/// <c>--no-overlap</c>) and applies the same Adam update. Only rank 0 writes checkpoints,
/// summaries and progress. The data position follows from the global step and the global batch alone, so a
/// run resumes from its checkpoint with any number of ranks.
/// </summary>
internal static class DistributedTraining
{
    private delegate float ComputeStep(ReadOnlySpan<float> images, ReadOnlySpan<int> labels, GradientSet gradients);

    public static int Run(DistributedOptions o, Func<DigitsData> loadDigits)
    {
        var comm = Communicator.Initialize(TimeSpan.FromSeconds(o.TimeoutSeconds));
        try
        {
            Train(o, loadDigits, comm);
        }
        catch
        {
            // The other ranks may wait in a collective this rank will not join: no closing barrier.
            comm.Abandon();
            throw;
        }
        comm.Dispose();
        return ExitCodes.Success;
    }

    private static void Train(DistributedOptions o, Func<DigitsData> loadDigits, Communicator comm)
    {
        if (o.Batch % comm.Size != 0)
            throw new UserError("invalid options", $"the global batch {o.Batch} does not divide evenly over {comm.Size} ranks; give --batch a multiple of the world size");
        // The barrier would run while the overlapped all-reduce still talks on its own thread.
        if (o.TimeCommunication && o.Overlap)
            throw new UserError("invalid options", "--time-communication lines the ranks up before the all-reduce, which overlap starts during the backward pass; add --no-overlap");
        using var dp = new DataParallel(comm);
        ulong seed = DataParallel.RankSeed(1, comm.Rank);
        var (model, gradients, compute, apply, data, features) = Build(o.Model, seed, loadDigits);

        var checkpoints = Path.Combine(o.LogDir, "checkpoints");
        if (comm.IsRoot) Directory.CreateDirectory(checkpoints);
        comm.Barrier();
        // Each rank says where it runs, so that an operator (or the fault test) can find it.
        File.WriteAllText(Path.Combine(o.LogDir, $"rank-{comm.Rank}.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var saver = new Saver();
        if (o.Resume && comm.IsRoot && !saver.RestoreLatest(model, checkpoints))
            throw new UserError("cannot resume", "there is no checkpoint to resume from", checkpoints);
        dp.BroadcastState(model);

        using var summaries = comm.IsRoot ? new SummaryWriter(Path.Combine(o.LogDir, "train")) : null;
        if (summaries is not null)
        {
            model.SummarySink = summaries;
            model.SummaryEvery = Math.Max(1, o.LogEvery);
        }
        int perRank = o.Batch / comm.Size;
        long start = model.GlobalStep;
        var batches = Dataset.Zip(Dataset.FromTensorSlices(data.Images, [data.Count, features]), Dataset.FromTensorSlices(data.Labels, [data.Count]))
            .Shuffle(bufferSize: data.Count, seed: 2)
            .Repeat()
            .Shard(comm.Size, comm.Rank)
            .Skip(start * perRank)
            .Batch(perRank, dropRemainder: true);
        if (o.Overlap) dp.OverlapWithBackward(gradients);
        var metadata = new Dictionary<string, string> { ["model"] = o.Model, ["global_batch"] = o.Batch.ToString(CultureInfo.InvariantCulture) };
        if (comm.IsRoot)
            Console.WriteLine($"data-parallel training of {o.Model} on {comm.Size} rank(s): global batch {o.Batch} ({perRank} per rank), steps {start}..{o.Steps}, {gradients.Float32.Length} gradient floats in {gradients.Buckets.Count} all-reduce bucket(s), {(o.Overlap ? "overlapped with the backward pass" : "after the backward pass")}");

        // Timing leaves out the first steps (JIT, arena allocation) when there are enough to time.
        long warmup = o.Steps - start > 20 ? 5 : 0;
        var clock = Stopwatch.StartNew();
        var reduceBefore = TimeSpan.Zero;
        long bytesBefore = 0, steps = 0, overlappedBefore = 0, bucketsBefore = 0;
        using (var e = batches.GetEnumerator())
        {
            while (model.GlobalStep < o.Steps && e.MoveNext())
            {
                var (images, labels) = e.Current;
                compute(images.Span, labels.Span, gradients);
                images.Dispose();
                labels.Dispose();
                // For timing only: with the ranks lined up first, the all-reduce's time is the communication alone.
                if (o.TimeCommunication) comm.Barrier();
                dp.AllreduceGradients(gradients);
                apply(gradients, o.LearningRate);
                if (++steps == warmup)
                {
                    clock.Restart();
                    (reduceBefore, bytesBefore) = (dp.ReduceTime, dp.BytesReduced);
                    (overlappedBefore, bucketsBefore) = (dp.Allreduce.BucketsOverlapped, dp.Allreduce.Buckets);
                }
                if (o.CheckReplicas && !dp.ReplicasIdentical(model))
                    throw new InvalidOperationException($"the replicas differ after step {model.GlobalStep}");
                if (!float.IsFinite(gradients.Loss))
                    throw new UserError("training diverged", $"the loss is {gradients.Loss} at step {model.GlobalStep}", exitCode: ExitCodes.Diverged);
                if (!comm.IsRoot) continue;
                if (o.LogEvery > 0 && model.GlobalStep % o.LogEvery == 0) Console.WriteLine($"step {model.GlobalStep}: loss {gradients.Loss:F4}");
                if (o.CheckpointEvery > 0 && model.GlobalStep % o.CheckpointEvery == 0) saver.Save(model, Path.Combine(checkpoints, o.Model), model.GlobalStep, metadata);
            }
        }
        var elapsed = clock.Elapsed;
        if (comm.IsRoot)
        {
            if (o.CheckpointEvery <= 0 || model.GlobalStep % o.CheckpointEvery != 0) saver.Save(model, Path.Combine(checkpoints, o.Model), model.GlobalStep, metadata);
            long timed = steps - warmup;
            double perStep = timed <= 0 ? 0 : elapsed.TotalMilliseconds / timed;
            double reduce = timed <= 0 ? 0 : (dp.ReduceTime - reduceBefore).TotalMilliseconds / timed;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "{0} steps on {1} rank(s): {2:F3} ms per global step ({3:F3} ms of it in the all-reduce after the backward pass; timed over the last {4}), {5} bytes all-reduced per step per rank, {6} of {7} buckets started during the backward pass",
                steps, comm.Size, perStep, reduce, timed, timed <= 0 ? 0 : (dp.BytesReduced - bytesBefore) / timed, dp.Allreduce.BucketsOverlapped - overlappedBefore, dp.Allreduce.Buckets - bucketsBefore));
            if (o.CheckReplicas) Console.WriteLine($"replicas bit-identical after every one of {steps} steps");
            if (model is DigitsModel digits) Console.WriteLine($"train accuracy: {Accuracy(digits, data):P1}");
        }
    }

    private static (IModel, GradientSet, ComputeStep, Action<GradientSet, float>, DigitsData, int) Build(string name, ulong seed, Func<DigitsData> loadDigits)
    {
        switch (name)
        {
            case "digits":
            {
                var m = new DigitsModel(seed);
                return (m, new DigitsModel.DigitsModelGradients(), (x, y, g) => m.ComputeGradients(x, y, (DigitsModel.DigitsModelGradients)g),
                    (g, lr) => m.ApplyGradients((DigitsModel.DigitsModelGradients)g, lr), loadDigits(), 64);
            }
            case "mlp784":
            {
                var m = new WideMlp(seed);
                return (m, new WideMlp.WideMlpGradients(), (x, y, g) => m.ComputeGradients(x, y, (WideMlp.WideMlpGradients)g),
                    (g, lr) => m.ApplyGradients((WideMlp.WideMlpGradients)g, lr), Synthetic(4096, 784), 784);
            }
            default:
                throw new UserError("invalid options", $"unknown --model '{name}': use digits or mlp784");
        }
    }

    /// <summary>MNIST-sized inputs for timing: uniform pixels, labels from a fixed random linear map (learnable).</summary>
    private static DigitsData Synthetic(int count, int features)
    {
        var rng = new Random(7);
        var teacher = new float[features * 10];
        for (int i = 0; i < teacher.Length; i++) teacher[i] = (float)(rng.NextDouble() * 2 - 1);
        var images = new float[count * features];
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            for (int j = 0; j < features; j++) images[n * features + j] = (float)rng.NextDouble();
            int best = 0;
            double bestScore = double.NegativeInfinity;
            for (int c = 0; c < 10; c++)
            {
                double s = 0;
                for (int j = 0; j < features; j++) s += images[n * features + j] * teacher[j * 10 + c];
                if (s > bestScore) (best, bestScore) = (c, s);
            }
            labels[n] = best;
        }
        return new DigitsData(images, labels);
    }

    private static double Accuracy(DigitsModel model, DigitsData data)
    {
        // Predict returns the logits, one row of classes per example: the prediction is the row's largest.
        var logits = model.Predict(data.Images).Data;
        int classes = logits.Length / data.Count, correct = 0;
        for (int i = 0; i < data.Count; i++)
            if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits.AsSpan(i * classes, classes)) == data.Labels[i]) correct++;
        return (double)correct / data.Count;
    }
}
