using GraphCompiler.Runtime.Data;

namespace GraphCompiler.Runtime.Training;

/// <summary>The training loop over a <see cref="Dataset{T}"/>, plus evaluation and prediction helpers.</summary>
public static class Trainer
{
    /// <summary>
    /// Trains <paramref name="model"/>: for each epoch, one pass over <paramref name="data"/>, calling
    /// <paramref name="trainStep"/> on every batch (it runs the step and returns the loss). Stops at
    /// <see cref="FitOptions.Epochs"/> or <see cref="FitOptions.MaxSteps"/>, when a callback asks, or on an
    /// interrupt (Ctrl+C, or <see cref="FitOptions.CancellationToken"/>): the current step always finishes, then
    /// every callback's <see cref="ITrainingCallback.OnInterrupt"/> runs and the result says
    /// <see cref="FitResult.Interrupted"/>. See <see cref="FitOptions.StepIncrementsGlobalStep"/> for who advances
    /// <see cref="IModel.GlobalStep"/>. Exceptions from the step, the data or a callback propagate; among them a
    /// <see cref="CheckpointCallback"/> whose save found NaN or infinity in the variables stops training with a
    /// <see cref="Checkpoints.CheckpointException"/> of kind <see cref="Checkpoints.CheckpointErrorKind.NonFinite"/>
    /// saying at which step it diverged and which checkpoint is the last good one (no later callback runs).
    /// </summary>
    public static FitResult Fit<TBatch>(IModel model, Dataset<TBatch> data, Func<TBatch, float> trainStep, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(trainStep);
        options ??= new FitOptions();
        Validate(options);

        using var interrupt = options.HandleCtrlC ? InterruptSignal.HookConsole() : InterruptSignal.Manual();
        var progress = options.Progress ?? (options.LogInterval > 0 ? ProgressReporter.ForConsole(options.LogInterval) : null);
        try
        {
            return new Loop<TBatch>(model, data, trainStep, options, progress, interrupt).Run();
        }
        finally
        {
            // Leaves the terminal on a fresh line even when the step threw mid-bar.
            progress?.Close();
        }
    }

    /// <summary>
    /// The mean of <paramref name="evalStep"/> over one pass of <paramref name="data"/>, weighted by batch size:
    /// <paramref name="batchSize"/> when given, else the size of a <see cref="Batch{T}"/>, array, or tuple whose
    /// first part is one of these; batches of unknown size weigh 1. Batches are disposed after the step (see
    /// <see cref="Batch{T}"/>) unless <paramref name="releaseBatches"/> is false.
    /// </summary>
    public static float Evaluate<TBatch>(Dataset<TBatch> data, Func<TBatch, float> evalStep, Func<TBatch, int>? batchSize = null, bool releaseBatches = true)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(evalStep);
        double weightedSum = 0;
        double totalWeight = 0;
        long batches = 0;
        foreach (var batch in data)
        {
            try
            {
                int weight = batchSize?.Invoke(batch) ?? BatchOwnership.TryGetCount(batch) ?? 1;
                if (weight < 0) throw new InvalidOperationException($"Evaluate: batch {batches} has negative size {weight}");
                weightedSum += (double)evalStep(batch) * weight;
                totalWeight += weight;
                batches++;
            }
            finally
            {
                if (releaseBatches) BatchOwnership.Release(batch);
            }
        }
        if (batches == 0) throw new InvalidOperationException("Evaluate: the dataset produced no batches");
        if (totalWeight == 0) throw new InvalidOperationException($"Evaluate: all {batches} batches were empty");
        return (float)(weightedSum / totalWeight);
    }

    /// <summary>
    /// Lazily applies <paramref name="predictStep"/> to each batch of <paramref name="data"/> and yields the outputs.
    /// Batches are not disposed, since an output may alias batch memory.
    /// </summary>
    public static Dataset<TOutput> Predict<TBatch, TOutput>(Dataset<TBatch> data, Func<TBatch, TOutput> predictStep)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(predictStep);
        return data.Map(predictStep);
    }

    private static void Validate(FitOptions options)
    {
        if (options.Epochs is < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Epochs, "FitOptions.Epochs must be at least 1");
        if (options.MaxSteps is < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxSteps, "FitOptions.MaxSteps must be non-negative");
        if (options.StepsPerEpoch is < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.StepsPerEpoch, "FitOptions.StepsPerEpoch must be at least 1");
        if (options.LogInterval < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.LogInterval, "FitOptions.LogInterval must be non-negative");
        ArgumentNullException.ThrowIfNull(options.Callbacks, "options.Callbacks");
        for (int i = 0; i < options.Callbacks.Count; i++)
            if (options.Callbacks[i] == null)
                throw new ArgumentException($"FitOptions.Callbacks[{i}] is null", nameof(options));
    }

    /// <summary>One run of <see cref="Fit"/>; a class so the loop's state is not threaded through parameters.</summary>
    private sealed class Loop<TBatch>(
        IModel model, Dataset<TBatch> data, Func<TBatch, float> trainStep, FitOptions options, ProgressReporter? progress, InterruptSignal interrupt)
    {
        private readonly List<ITrainingCallback> _callbacks = [.. options.Callbacks, .. progress != null ? [progress] : Array.Empty<ITrainingCallback>()];
        private readonly List<EpochMetrics> _epochs = [];
        private readonly int? _maxEpochs = options.Epochs ?? (options.MaxSteps == null ? 1 : null);
        private TrainingContext _context = null!;
        private ITrainingCallback? _stoppedBy;
        private bool _interrupted;

        public FitResult Run()
        {
            _context = new TrainingContext(model, _maxEpochs, options.MaxSteps, options.StepsPerEpoch);
            foreach (var callback in _callbacks) callback.OnTrainBegin(_context);

            while (!ShouldStop() && (_maxEpochs == null || _context.Epoch < _maxEpochs))
                RunEpoch();

            if (_interrupted)
                foreach (var callback in _callbacks) callback.OnInterrupt(model.GlobalStep);
            var result = new FitResult(_context.Steps, model.GlobalStep, _interrupted, _stoppedBy, _context.LastLoss, _epochs);
            foreach (var callback in _callbacks) callback.OnTrainEnd(result);
            return result;
        }

        private bool StepLimitReached => options.MaxSteps is long max && _context.Steps >= max;

        private bool ShouldStop()
        {
            if (!_interrupted && (interrupt.Requested || options.CancellationToken.IsCancellationRequested))
                _interrupted = true;
            return _interrupted || _stoppedBy != null || StepLimitReached;
        }

        private void RunEpoch()
        {
            _context.Epoch++;
            long steps = 0;
            double lossSum = 0;
            bool reachedEnd = false;
            using (var batches = data.GetEnumerator())
            {
                while (!ShouldStop())
                {
                    if (!batches.MoveNext())
                    {
                        reachedEnd = true;
                        break;
                    }
                    float loss = Step(batches.Current);
                    steps++;
                    lossSum += loss;
                }
                // At the step limit, look one batch ahead: an epoch that ended exactly there still counts as complete.
                if (!reachedEnd && StepLimitReached && !_interrupted && _stoppedBy == null)
                {
                    reachedEnd = !batches.MoveNext();
                    if (!reachedEnd && options.ReleaseBatches) BatchOwnership.Release(batches.Current);
                }
            }
            if (reachedEnd && steps == 0)
                throw new InvalidOperationException($"Fit: the dataset produced no batches in epoch {_context.Epoch}");
            if (!reachedEnd) return;

            _context.StepsPerEpoch ??= steps;
            var metrics = new EpochMetrics(_context.Epoch, steps, (float)(lossSum / steps), model.GlobalStep);
            _epochs.Add(metrics);
            foreach (var callback in _callbacks)
                if (callback.OnEpochEnd(_context.Epoch, metrics)) _stoppedBy ??= callback;
        }

        private float Step(TBatch batch)
        {
            long before = model.GlobalStep;
            float loss;
            try
            {
                loss = trainStep(batch);
            }
            finally
            {
                if (options.ReleaseBatches) BatchOwnership.Release(batch);
            }
            if (options.StepIncrementsGlobalStep)
            {
                if (model.GlobalStep <= before)
                    throw new InvalidOperationException(
                        $"Fit: FitOptions.StepIncrementsGlobalStep is set but the train step left GlobalStep at {model.GlobalStep} (it was {before} before the step)");
            }
            else
            {
                model.GlobalStep = before + 1;
            }
            _context.Steps++;
            _context.LastLoss = loss;
            foreach (var callback in _callbacks)
                if (callback.OnStepEnd(model.GlobalStep, loss)) _stoppedBy ??= callback;
            return loss;
        }
    }
}
