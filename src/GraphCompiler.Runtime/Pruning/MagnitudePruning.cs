using GraphCompiler.Runtime.Checkpoints;
using GraphCompiler.Runtime.Summaries;
using GraphCompiler.Runtime.Training;

namespace GraphCompiler.Runtime.Pruning;

/// <summary>
/// Magnitude pruning of a model whose code wraps weights in <c>Ops.Prune</c>: each pruned variable w has a
/// non-trainable mask variable <c>w_mask</c> that the forward pass multiplies in (so its gradient is masked
/// too). After each train step (<see cref="OnStepEnd"/>, as a <see cref="Trainer.Fit"/> callback), on the
/// schedule's update steps the masks zero the smallest |w| up to the scheduled sparsity (exactly
/// ⌊n·s⌉ entries per variable; already-pruned weights count as zero, so a mask only grows), then every masked weight is set to zero, so the
/// optimizer's momentum cannot revive it. Sparsities go to the summary sink as <c>&lt;w&gt;/sparsity</c>.
/// Masks are variables, so checkpoints hold them; <see cref="Strip"/> saves a plain checkpoint without them.
/// </summary>
/// <remarks>
/// The mask update runs in the runtime, between steps, rather than in the compiled step: it needs a
/// top-k selection over each weight tensor a few times per run, which would be a dead sort in every
/// compiled step, and the schedule is plain host logic, like the learning-rate schedules.
/// </remarks>
public sealed class MagnitudePruning : ITrainingCallback
{
    /// <summary>The suffix of a mask variable's name.</summary>
    public const string MaskSuffix = "_mask";

    private readonly IModel _model;
    private readonly List<(Variable<float> Weights, Variable<float> Mask)> _pruned = new();

    public MagnitudePruning(IModel model, PolynomialDecay schedule, ISummarySink? summaries = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        Schedule = schedule.Validated();
        Summaries = summaries;
        foreach (var v in model.AllVariables)
        {
            if (!model.AllVariables.TryGet(v.Name + MaskSuffix, out var mask)) continue;
            if (v is not Variable<float> weights || mask is not Variable<float> m || m.ElementCount != weights.ElementCount)
                throw new ArgumentException($"variable '{v.Name}' and its mask must be float32 of one shape");
            _pruned.Add((weights, m));
        }
        if (_pruned.Count == 0) throw new ArgumentException("the model prunes no variable: wrap weights in Ops.Prune in the model code");
    }

    public PolynomialDecay Schedule { get; }

    public ISummarySink? Summaries { get; }

    /// <summary>The full names of the pruned variables.</summary>
    public IReadOnlyList<string> PrunedVariables => _pruned.Select(p => p.Weights.Name).ToList();

    bool ITrainingCallback.OnStepEnd(long step, float loss)
    {
        OnStepEnd(step);
        return false;
    }

    /// <summary>Call after each train step with the new global step when training without <see cref="Trainer.Fit"/>.</summary>
    public void OnStepEnd(long step)
    {
        if (Schedule.UpdatesAt(step)) UpdateMasks(Schedule.SparsityAt(step));
        foreach (var (weights, mask) in _pruned)
            System.Numerics.Tensors.TensorPrimitives.Multiply(weights.Data, mask.Data, weights.Data);
        if (Summaries is { } sink && Schedule.UpdatesAt(step))
            foreach (var (weights, _) in _pruned) sink.Scalar(weights.Name + "/sparsity", (float)Sparsity(weights.Name), step);
    }

    /// <summary>Sets each mask to keep all but the ⌊n·<paramref name="sparsity"/>⌉ smallest-magnitude weights.</summary>
    public void UpdateMasks(double sparsity)
    {
        foreach (var (weights, mask) in _pruned)
        {
            int n = weights.ElementCount, pruned = (int)Math.Round(n * sparsity, MidpointRounding.AwayFromZero);
            var order = new int[n];
            var magnitude = new float[n];
            for (int i = 0; i < n; i++) (order[i], magnitude[i]) = (i, Math.Abs(weights.Data[i] * mask.Data[i]));
            Array.Sort(magnitude, order);
            mask.Data.AsSpan().Fill(1f);
            for (int i = 0; i < pruned; i++) mask.Data[order[i]] = 0f;
        }
    }

    /// <summary>The fraction of zeros in the mask of <paramref name="variable"/>.</summary>
    public double Sparsity(string variable)
    {
        var mask = _pruned.First(p => p.Weights.Name == variable).Mask;
        return mask.ElementCount == 0 ? 0 : (double)mask.Data.Count(m => m == 0f) / mask.ElementCount;
    }

    /// <summary>
    /// Zeroes the masked weights and saves every variable but the masks (the toolkit's
    /// <c>strip_pruning</c>): a checkpoint that a model without <c>Ops.Prune</c> of the same
    /// variables restores. Returns its path.
    /// </summary>
    public string Strip(string prefix, long? globalStep = null)
    {
        foreach (var (weights, mask) in _pruned)
            System.Numerics.Tensors.TensorPrimitives.Multiply(weights.Data, mask.Data, weights.Data);
        var masks = new HashSet<string>(_pruned.Select(p => p.Mask.Name), StringComparer.Ordinal);
        var saver = new Saver(new SaverOptions { VariableNames = _model.AllVariables.Names.Where(n => !masks.Contains(n)).ToList(), MaxToKeep = 0 });
        return saver.Save(_model, prefix, globalStep);
    }
}
