namespace GraphCompiler.Runtime.Training;

/// <summary>
/// A learning rate that follows the global step. Add it to <see cref="FitOptions.Callbacks"/> and read
/// <see cref="LearningRate"/> in the train step: <c>b =&gt; model.TrainStep(b.x, b.y, learningRate: lr.LearningRate)</c>.
/// It is set to <c>schedule(GlobalStep)</c> when training begins and after every step (for the step to come),
/// so step <c>k</c> (0-based global step before it runs) always sees <c>schedule(k)</c>.
/// </summary>
public sealed class LearningRateSchedule : ITrainingCallback
{
    private readonly Func<long, float> _schedule;

    /// <summary>A schedule given by a function of the global step.</summary>
    public LearningRateSchedule(Func<long, float> schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        _schedule = schedule;
        LearningRate = schedule(0);
    }

    /// <summary>The rate for the next step.</summary>
    public float LearningRate { get; private set; }

    /// <summary>The rate at <paramref name="globalStep"/>.</summary>
    public float ValueAt(long globalStep) => _schedule(globalStep);

    /// <summary>A constant rate.</summary>
    public static LearningRateSchedule Constant(float learningRate) => new(_ => learningRate);

    /// <summary>
    /// <c>tf.train.exponential_decay</c>: <c>initial · rate^(step / decaySteps)</c>, with the exponent floored
    /// when <paramref name="staircase"/>.
    /// </summary>
    public static LearningRateSchedule ExponentialDecay(float initial, long decaySteps, float decayRate, bool staircase = false)
    {
        if (decaySteps < 1) throw new ArgumentOutOfRangeException(nameof(decaySteps), decaySteps, "ExponentialDecay: decaySteps must be at least 1");
        return new(step =>
        {
            double exponent = staircase ? step / decaySteps : (double)step / decaySteps;
            return (float)(initial * Math.Pow(decayRate, exponent));
        });
    }

    /// <summary>
    /// <c>tf.train.piecewise_constant</c>: <c>values[0]</c> while <c>step &lt;= boundaries[0]</c>, <c>values[i]</c>
    /// while <c>boundaries[i-1] &lt; step &lt;= boundaries[i]</c>, and the last value after the last boundary.
    /// </summary>
    public static LearningRateSchedule PiecewiseConstant(long[] boundaries, float[] values)
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != boundaries.Length + 1)
            throw new ArgumentException($"PiecewiseConstant: {boundaries.Length} boundaries need {boundaries.Length + 1} values, got {values.Length}", nameof(values));
        for (int i = 1; i < boundaries.Length; i++)
            if (boundaries[i] <= boundaries[i - 1])
                throw new ArgumentException($"PiecewiseConstant: boundaries must increase, but boundaries[{i}] = {boundaries[i]} follows {boundaries[i - 1]}", nameof(boundaries));
        var b = (long[])boundaries.Clone();
        var v = (float[])values.Clone();
        return new(step =>
        {
            int i = 0;
            while (i < b.Length && step > b[i]) i++;
            return v[i];
        });
    }

    /// <summary>
    /// BERT's schedule, the same formula as a model's compiled <c>LearningRateDecay.LinearDecay</c>: <c>peak·(step + 1)/warmupSteps</c>
    /// during the warm-up, then <c>peak·max(0, 1 − step/decaySteps)</c>. For when the run's length is known only at run time.
    /// </summary>
    public static LearningRateSchedule LinearDecay(float peak, int decaySteps, int warmupSteps = 0)
    {
        if (decaySteps < 1) throw new ArgumentOutOfRangeException(nameof(decaySteps), decaySteps, "LinearDecay: decaySteps must be at least 1");
        if (warmupSteps < 0) throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, "LinearDecay: warmupSteps must not be negative");
        return new(step => StepScalars.Schedule(peak, step, StepScalars.LinearDecay, decaySteps, 0f, false, [], [], 0f, warmupSteps));
    }

    void ITrainingCallback.OnTrainBegin(TrainingContext context) => LearningRate = _schedule(context.Model.GlobalStep);

    bool ITrainingCallback.OnStepEnd(long step, float loss)
    {
        LearningRate = _schedule(step);
        return false;
    }
}
