using System.Diagnostics;
using GraphCompiler.Runtime.Bert;
using GraphCompiler.Runtime.Checkpoints;
using GraphCompiler.Runtime.Summaries;
using GraphCompiler.Runtime.Training;
using GraphCompiler.Samples;

namespace TinyBert;

/// <summary>
/// Pre-trains <see cref="TinyBertPretraining"/> on the training pairs: batches of shuffled pairs, masked afresh each
/// epoch; the loss every <see cref="LogEvery"/> steps, held-out metrics every <see cref="EvaluateEvery"/> steps and
/// at the end (printed and written as TensorBoard scalars), checkpoints at the same points and when stopped by Ctrl+C.
/// </summary>
public sealed class Pretraining(TinyBertPretraining model, IReadOnlyList<SentencePair> train, IReadOnlyList<SentencePair> heldOut, SampleOptions options)
{
    /// <summary>Steps between printed training losses.</summary>
    public const int LogEvery = 50;

    /// <summary>Steps between held-out evaluations and checkpoints.</summary>
    public const int EvaluateEvery = 250;

    /// <summary>Held-out pairs evaluated (a fixed masking, so evaluations are comparable).</summary>
    public const int EvaluatedPairs = 2048;

    /// <summary>
    /// BERT's learning-rate schedule over a run of <paramref name="steps"/>: a linear warm-up over the first 10 % (BERT: 1 %;
    /// more for a short run), then a linear decay to 0 at the last step. Computed by the loop rather than compiled into the
    /// train step (<c>LearningRateDecay.LinearDecay</c>), whose decay length is fixed at build time: with a compiled
    /// 1,000-step decay, a longer run would stop learning at step 1,000.
    /// </summary>
    public static LearningRateSchedule Schedule(float peak, int steps) => LearningRateSchedule.LinearDecay(peak, steps, Math.Max(1, steps / 10));

    /// <summary>The checkpoint prefix of the pre-trained model in <paramref name="logDir"/>.</summary>
    public static string CheckpointPrefix(string logDir) => Path.Combine(logDir, "pretrain", "model");

    /// <summary>
    /// Trains to <see cref="SampleOptions.Steps"/>, or until <see cref="SampleOptions.MaxMinutes"/> have passed (from the latest
    /// checkpoint with <c>--resume</c>); returns the last checkpoint.
    /// </summary>
    public string Run(SummaryWriter summaries)
    {
        var saver = new Saver();
        var prefix = CheckpointPrefix(options.LogDir);
        if (options.Resume && saver.RestoreLatest(model, Path.GetDirectoryName(prefix)!))
            Console.WriteLine($"resumed from step {model.GlobalStep}");
        model.SummarySink = summaries;
        model.SummaryEvery = LogEvery;

        int batch = options.BatchSize, perEpoch = train.Count / batch;
        var schedule = Schedule(options.LearningRate, options.Steps);
        using var stop = new TerminationRequest(() => { });
        var clock = Stopwatch.StartNew();
        double lossSum = 0;
        int lossCount = 0;
        string? checkpoint = null;
        bool OutOfTime() => options.MaxMinutes > 0 && clock.Elapsed.TotalMinutes >= options.MaxMinutes;
        while (model.GlobalStep < options.Steps && !stop.Requested && !OutOfTime())
        {
            long step = model.GlobalStep;
            long epoch = step / perEpoch;
            var inputs = PretrainingInputs.Create(train, (int)(step % perEpoch) * batch, batch, options.Seed, epoch);
            float loss = inputs.TrainStep(model, schedule.ValueAt(step));
            if (!float.IsFinite(loss))
                throw new UserError($"the loss diverged at step {step}", $"loss {loss}; the last checkpoint is {checkpoint ?? "none"}", exitCode: ExitCodes.Diverged);
            lossSum += loss;
            lossCount++;
            long done = model.GlobalStep;
            if (done % LogEvery == 0)
            {
                Console.WriteLine($"step {done,5}  loss {lossSum / lossCount:F3}  ({clock.Elapsed.TotalSeconds / done:F3} s/step, epoch {epoch})");
                (lossSum, lossCount) = (0, 0);
            }
            if (done % EvaluateEvery == 0 || done == options.Steps)
                checkpoint = EvaluateAndSave(saver, prefix, summaries);
        }
        if (checkpoint is null || (model.GlobalStep % EvaluateEvery != 0 && model.GlobalStep != options.Steps))
            checkpoint = EvaluateAndSave(saver, prefix, summaries);
        Console.WriteLine($"pre-trained {model.GlobalStep} steps of {batch} pairs in {clock.Elapsed.TotalMinutes:F1} min; checkpoint {checkpoint}");
        return checkpoint;
    }

    private string EvaluateAndSave(Saver saver, string prefix, SummaryWriter summaries)
    {
        var metrics = Evaluate(model, heldOut, options.Seed, Math.Min(EvaluatedPairs, heldOut.Count), options.BatchSize);
        long step = model.GlobalStep;
        Console.WriteLine($"  held out at step {step}: masked LM loss {metrics.MaskedLmLoss:F3}, masked-token accuracy {metrics.MaskedLmAccuracy:P1}, next-sentence accuracy {metrics.NextSentenceAccuracy:P1}");
        summaries.Scalar("held_out/masked_lm_loss", (float)metrics.MaskedLmLoss, step);
        summaries.Scalar("held_out/masked_lm_accuracy", (float)metrics.MaskedLmAccuracy, step);
        summaries.Scalar("held_out/next_sentence_accuracy", (float)metrics.NextSentenceAccuracy, step);
        summaries.Flush();
        return saver.Save(model, prefix, step);
    }

    /// <summary>The metrics of <paramref name="model"/> on the first <paramref name="count"/> pairs, masked with epoch 0.</summary>
    public static PretrainingMetrics Evaluate(TinyBertPretraining model, IReadOnlyList<SentencePair> pairs, ulong seed, int count, int batchSize)
    {
        var metrics = new PretrainingMetrics();
        for (int start = 0; start < count; start += batchSize)
        {
            var inputs = PretrainingInputs.Create(pairs, start, Math.Min(batchSize, count - start), seed ^ 0x5EED, epoch: 0);
            var (mlm, nsp) = model.Predict(inputs.Ids, inputs.Segments, inputs.InputMask, inputs.Positions);
            metrics.Add(mlm.Data, inputs.Labels, nsp.Data, inputs.NextSentence);
        }
        return metrics;
    }
}
