namespace GraphCompiler;

/// <summary>Normalization.</summary>
public static partial class Ops
{
    /// <summary>
    /// Batch normalization over every axis but the last (Keras's <c>BatchNormalization</c> on channels-last
    /// data): <c>y = γ·(x − μ)/√(σ² + ε) + β</c>. In <c>TrainStep</c>, μ and σ² are the batch's mean and biased
    /// variance and the step updates the moving averages (<c>moving ← momentum·moving + (1 − momentum)·batch</c>;
    /// no separate update op to run); every other entry point uses the moving averages and leaves them
    /// unchanged. All four parameters are [channels]; the moving ones are normally non-trainable variables.
    /// Gradient (train step): <c>dx = γ/√(σ²+ε) · (dy − mean(dy) − x̂·mean(dy·x̂))</c>, <c>dγ = Σ dy·x̂</c>, <c>dβ = Σ dy</c>.
    /// </summary>
    public static Tensor BatchNormalization(Tensor x, Tensor gamma, Tensor beta, Tensor movingMean, Tensor movingVariance,
        float momentum = 0.99f, float epsilon = 1e-3f) => throw BuildTime.Only("Ops.BatchNormalization");
}
