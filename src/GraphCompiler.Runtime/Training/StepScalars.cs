namespace GraphCompiler.Runtime.Training;

/// <summary>
/// Per-step scalars of the generated train step, computed on the host from the global step:
/// learning-rate schedules (<c>tf.train.exponential_decay</c>, <c>piecewise_constant</c>,
/// <c>cosine_decay</c>, BERT's linear decay, linear warm-up) and Adam's bias-corrected step size.
/// </summary>
public static class StepScalars
{
    public const int Constant = 0, ExponentialDecay = 1, PiecewiseConstant = 2, CosineDecay = 3, LinearDecay = 4;

    /// <summary>The learning rate at <paramref name="step"/> (0-based: the step about to be taken).</summary>
    public static float Schedule(float learningRate, long step, int schedule, int decaySteps, float decayRate, bool staircase,
        ReadOnlySpan<int> boundaries, ReadOnlySpan<float> values, float alpha, int warmupSteps)
    {
        double lr = learningRate;
        switch (schedule)
        {
            case ExponentialDecay:
            {
                double p = (double)step / decaySteps;
                lr *= Math.Pow(decayRate, staircase ? Math.Floor(p) : p);
                break;
            }
            case PiecewiseConstant:
            {
                // As tf.train.piecewise_constant: values[i] while step <= boundaries[i].
                int i = 0;
                while (i < boundaries.Length && step > boundaries[i]) i++;
                lr *= values[i];
                break;
            }
            case CosineDecay:
            {
                double p = Math.Min(step, decaySteps) / (double)decaySteps;
                lr *= (1 - alpha) * 0.5 * (1 + Math.Cos(Math.PI * p)) + alpha;
                break;
            }
            case LinearDecay:
                // BERT's polynomial_decay to 0 with power 1; its warm-up replaces the decayed rate rather than scaling it.
                if (warmupSteps > 0 && step < warmupSteps) return (float)(lr * (step + 1) / warmupSteps);
                lr *= Math.Max(0, 1 - (double)step / decaySteps);
                break;
        }
        if (warmupSteps > 0 && step < warmupSteps) lr *= (step + 1) / (double)warmupSteps;
        return (float)lr;
    }

    /// <summary>Adam's <c>lr_t = lr·√(1−β₂ᵗ)/(1−β₁ᵗ)</c> with t = step + 1, as TensorFlow computes it.</summary>
    public static float AdamStepSize(float learningRate, long step, double beta1, double beta2)
    {
        double t = step + 1;
        return (float)(learningRate * Math.Sqrt(1 - Math.Pow(beta2, t)) / (1 - Math.Pow(beta1, t)));
    }
}
