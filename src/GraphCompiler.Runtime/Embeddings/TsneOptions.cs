namespace GraphCompiler.Runtime.Embeddings;

/// <summary>
/// Settings of <see cref="Projection.Tsne"/>. The defaults are the customary ones (van der Maaten's
/// reference implementation and its successors): perplexity 30, early exaggeration 12 for the first
/// 250 iterations with momentum 0.5, then momentum 0.8.
/// </summary>
public sealed record TsneOptions
{
    /// <summary>Exact t-SNE keeps an n×n affinity matrix, so it stops here.</summary>
    public const int MaxPoints = 5000;

    /// <summary>
    /// The effective number of neighbours each point's input affinities cover. Clamped to
    /// (n − 1) / 3 for small inputs, where a larger value would ask for more neighbours than exist.
    /// </summary>
    public double Perplexity { get; init; } = 30;

    /// <summary>Gradient-descent iterations in all, exaggerated ones included.</summary>
    public int Iterations { get; init; } = 750;

    /// <summary>Factor on P during the first <see cref="ExaggerationIterations"/>: it lets clusters form and separate before they settle.</summary>
    public double EarlyExaggeration { get; init; } = 12;

    /// <summary>Iterations run with exaggerated P (and momentum 0.5).</summary>
    public int ExaggerationIterations { get; init; } = 250;

    /// <summary>
    /// Step size; 0 (the default) picks max(n / <see cref="EarlyExaggeration"/>, 50), the choice of
    /// Belkina et al. (2019) that scales with the number of points.
    /// </summary>
    public double LearningRate { get; init; }

    /// <summary>Seed of the initial positions.</summary>
    public ulong Seed { get; init; } = 1;

    internal void Validate()
    {
        if (!(Perplexity >= 1))
            throw new ArgumentOutOfRangeException(nameof(Perplexity), Perplexity, "t-SNE perplexity must be at least 1");
        if (Iterations < 1)
            throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, "t-SNE needs at least 1 iteration");
        if (!(EarlyExaggeration >= 1))
            throw new ArgumentOutOfRangeException(nameof(EarlyExaggeration), EarlyExaggeration, "t-SNE early exaggeration must be at least 1");
        if (ExaggerationIterations < 0)
            throw new ArgumentOutOfRangeException(nameof(ExaggerationIterations), ExaggerationIterations, "t-SNE exaggeration iterations cannot be negative");
        if (!(LearningRate >= 0) || double.IsInfinity(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "t-SNE learning rate must be finite and non-negative (0 = automatic)");
    }
}
