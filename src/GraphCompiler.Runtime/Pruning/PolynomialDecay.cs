namespace GraphCompiler.Runtime.Pruning;

/// <summary>
/// The model-optimization toolkit's pruning schedule: from <paramref name="BeginStep"/> to
/// <paramref name="EndStep"/> the target sparsity rises from <paramref name="InitialSparsity"/> to
/// <paramref name="FinalSparsity"/> as <c>final + (initial − final)·(1 − (step − begin)/(end − begin))^power</c>,
/// and masks are recomputed on steps where <c>(step − begin)</c> is a multiple of <paramref name="Frequency"/>
/// (so the final sparsity is reached when <c>end − begin</c> is a multiple of the frequency, as in the toolkit).
/// </summary>
public sealed record PolynomialDecay(double InitialSparsity, double FinalSparsity, long BeginStep, long EndStep, double Power = 3, long Frequency = 100)
{
    /// <summary>Checks the schedule; the toolkit's limits (sparsities in [0, 1), begin &lt; end, frequency ≥ 1).</summary>
    public PolynomialDecay Validated()
    {
        if (!(InitialSparsity >= 0 && InitialSparsity < 1) || !(FinalSparsity >= 0 && FinalSparsity < 1))
            throw new ArgumentException($"sparsities must be in [0, 1), got {InitialSparsity} and {FinalSparsity}");
        if (BeginStep < 0 || EndStep <= BeginStep) throw new ArgumentException($"the pruning steps must satisfy 0 ≤ begin < end, got {BeginStep} and {EndStep}");
        if (Frequency < 1 || !(Power > 0)) throw new ArgumentException($"frequency must be ≥ 1 and power positive, got {Frequency} and {Power}");
        return this;
    }

    /// <summary>The target sparsity at <paramref name="step"/> (held at the end values outside the range).</summary>
    public double SparsityAt(long step)
    {
        double progress = Math.Clamp((double)(step - BeginStep) / (EndStep - BeginStep), 0, 1);
        return FinalSparsity + (InitialSparsity - FinalSparsity) * Math.Pow(1 - progress, Power);
    }

    /// <summary>True on the steps where the masks are recomputed.</summary>
    public bool UpdatesAt(long step) => step >= BeginStep && step <= EndStep && (step - BeginStep) % Frequency == 0;
}
