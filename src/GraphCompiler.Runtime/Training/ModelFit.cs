using System.Globalization;
using GraphCompiler.Runtime.Data;

namespace GraphCompiler.Runtime.Training;

/// <summary>
/// Keras's <c>model.fit</c>, <c>model.evaluate</c> and <c>model.predict</c> on a generated model (see
/// <see cref="IFitModel{TBatch}"/>), over <see cref="Trainer.Fit"/>'s loop and callbacks.
/// </summary>
public static class ModelFit
{
    /// <summary>
    /// Trains for <paramref name="epochs"/> passes over <paramref name="data"/> and returns the <see cref="History"/>
    /// of every metric per epoch: <c>loss</c> (the mean of the train steps' losses, weighted by batch size) and
    /// <paramref name="metrics"/> on the training batches (the accuracies from an inference pass over each batch
    /// just before its step, so with dropout off), and the same with a <c>val_</c> prefix on
    /// <paramref name="validationData"/> at the end of each epoch. Those logs are in
    /// <see cref="TrainingContext.EpochLogs"/> before <paramref name="callbacks"/> see the epoch's end, so
    /// <c>new EarlyStopping("val_loss", patience: 3)</c> watches them. A <see cref="LearningRateSchedule"/> among
    /// the callbacks sets each step's learning rate; otherwise every step uses <paramref name="learningRate"/>.
    /// With <paramref name="smokeTest"/>, nothing is trained: <see cref="SmokeTest"/> runs on the first batch,
    /// its report is written to <paramref name="output"/>, and a failed one throws <see cref="SmokeTestFailedException"/>.
    /// </summary>
    /// <param name="verbose">Whether to show the progress bar and a line of metrics per epoch on <paramref name="output"/>.</param>
    /// <param name="output">Where the epoch lines and the smoke test's report go; the console by default.</param>
    public static History Fit<TBatch>(this IFitModel<TBatch> model, Dataset<TBatch> data, int epochs = 1, Dataset<TBatch>? validationData = null,
        IReadOnlyList<ITrainingCallback>? callbacks = null, float learningRate = 0.01f, IReadOnlyList<Metric>? metrics = null,
        bool smokeTest = false, bool verbose = true, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        output ??= Console.Out;
        if (smokeTest)
        {
            var report = model.SmokeTest(data, learningRate);
            report.Write(output);
            return report.Passed ? new History { SmokeTest = report } : throw new SmokeTestFailedException(report);
        }
        callbacks ??= [];
        var train = WithLoss(metrics);
        var schedule = callbacks.OfType<LearningRateSchedule>().FirstOrDefault();
        bool predictions = train.Any(m => m.NeedsPredictions);
        var history = new History();
        var recorder = new EpochRecorder<TBatch>(model, train, validationData, history, verbose ? output : null, epochs);
        history.Result = Trainer.Fit(model, data, batch =>
        {
            var classified = predictions ? model.Classify(batch) : null;
            float loss = model.TrainOn(batch, schedule?.LearningRate ?? learningRate);
            int count = model.BatchSize(batch);
            foreach (var metric in train) metric.Update(loss, count, classified);
            return loss;
        }, new FitOptions
        {
            Epochs = epochs,
            Callbacks = [recorder, .. callbacks],
            StepIncrementsGlobalStep = true,
            LogInterval = verbose ? 100 : 0,
        });
        return history;
    }

    /// <summary>
    /// Keras's <c>model.evaluate</c>: the loss method (inference: no dropout, no update) and <paramref name="metrics"/>
    /// over one pass of <paramref name="data"/>, by name; <c>loss</c> is the mean over examples.
    /// </summary>
    public static IReadOnlyDictionary<string, double> Evaluate<TBatch>(this IFitModel<TBatch> model, Dataset<TBatch> data, IReadOnlyList<Metric>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        return Accumulate(model, data, WithLoss(metrics), "");
    }

    /// <summary>
    /// Keras's <c>model.predict</c>: the model's <c>Predict</c> on every batch of <paramref name="data"/>, the
    /// results stacked along the first axis.
    /// </summary>
    public static NDArray<float> Predict<TFeatures>(this IPredictModel<TFeatures> model, Dataset<TFeatures> data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var values = new List<float>();
        int[]? shape = null;
        foreach (var batch in data)
        {
            try
            {
                var result = model.PredictOn(batch);
                if (shape is null) shape = [.. result.Shape];
                else if (result.Rank != shape.Length || !result.Shape.Skip(1).SequenceEqual(shape.Skip(1)))
                    throw new InvalidOperationException($"Predict: batches give results of shapes [{string.Join(", ", shape.Skip(1))}] and [{string.Join(", ", result.Shape.Skip(1))}] per example, which do not stack");
                else shape[0] += result.Shape[0];
                values.AddRange(result.Data);
            }
            finally
            {
                BatchOwnership.Release(batch);
            }
        }
        return shape is null ? throw new InvalidOperationException("Predict: the dataset produced no batches") : new NDArray<float>(shape, values.ToArray());
    }

    /// <summary>Fresh copies of <paramref name="metrics"/>, with the mean loss first unless given.</summary>
    private static List<Metric> WithLoss(IReadOnlyList<Metric>? metrics)
    {
        var list = (metrics ?? []).Select(m => m.Clone()).ToList();
        if (!list.Any(m => m.Name == "loss")) list.Insert(0, Metrics.MeanLoss());
        var duplicate = list.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"the metric '{duplicate.Key}' is given twice", nameof(metrics));
        return list;
    }

    private static Dictionary<string, double> Accumulate<TBatch>(IFitModel<TBatch> model, Dataset<TBatch> data, List<Metric> metrics, string prefix)
    {
        foreach (var metric in metrics) metric.Reset();
        bool predictions = metrics.Any(m => m.NeedsPredictions);
        long batches = 0;
        foreach (var batch in data)
        {
            try
            {
                float loss = model.LossOn(batch);
                var classified = predictions ? model.Classify(batch) : null;
                int count = model.BatchSize(batch);
                foreach (var metric in metrics) metric.Update(loss, count, classified);
                batches++;
            }
            finally
            {
                BatchOwnership.Release(batch);
            }
        }
        if (batches == 0) throw new InvalidOperationException("Evaluate: the dataset produced no batches");
        return metrics.ToDictionary(m => prefix + m.Name, m => m.Result());
    }

    /// <summary>Collects each epoch's metrics (and the validation's) into the history and the context, first among the callbacks.</summary>
    private sealed class EpochRecorder<TBatch>(IFitModel<TBatch> model, List<Metric> train, Dataset<TBatch>? validation, History history, TextWriter? output, int epochs)
        : ITrainingCallback
    {
        private readonly List<Metric> _validation = train.Select(m => m.Clone()).ToList();
        private TrainingContext? _context;

        public void OnTrainBegin(TrainingContext context)
        {
            _context = context;
            foreach (var metric in train) metric.Reset();
        }

        public bool OnEpochEnd(int epoch, EpochMetrics metrics)
        {
            var logs = train.ToDictionary(m => m.Name, m => m.Result());
            if (validation is not null)
                foreach (var (name, value) in Accumulate(model, validation, _validation, "val_")) logs[name] = value;
            history.Add(logs);
            _context!.EpochLogs = logs;
            foreach (var metric in train) metric.Reset();
            output?.WriteLine($"epoch {epoch}/{epochs}: " + string.Join("  ", logs.Select(l => $"{l.Key} {l.Value.ToString("G4", CultureInfo.InvariantCulture)}")));
            return false;
        }
    }
}
