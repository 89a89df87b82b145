namespace GraphCompiler;

// The math family: gradients as ops, and clipping.
public static partial class Ops
{
    /// <summary>
    /// <c>tf.gradients</c>: for each x, <c>Σₖ ∂(gradYsₖ · ysₖ)/∂x</c> (gradYs default to ones), built into
    /// the graph at compile time by reverse-mode differentiation. An x that no y depends on gets zeros.
    /// An op without a gradient between an x and a y is a compile error naming the op and the path.
    /// </summary>
    public static Tensor[] Gradients(Tensor[] ys, Tensor[] xs, Tensor[]? gradYs = null) => throw BuildTime.Only("Ops.Gradients");

    /// <summary><c>y = x</c>, but differentiation treats y as a constant. Gradient: <c>dx = 0</c>.</summary>
    public static Tensor StopGradient(Tensor x) => throw BuildTime.Only("Ops.StopGradient");

    /// <summary>
    /// <c>y = min(max(x, lo), hi)</c> elementwise; the bounds broadcast to x's shape. Gradient:
    /// <c>dx = dy</c> where lo ≤ x ≤ hi, else 0 (the bounds get the rest).
    /// </summary>
    public static Tensor ClipByValue(Tensor x, Tensor clipValueMin, Tensor clipValueMax) => throw BuildTime.Only("Ops.ClipByValue");

    /// <summary>
    /// <c>y = x·c / max(‖x‖₂, c)</c> with the norm over <paramref name="axes"/> (all when null): x is
    /// unchanged when its norm is at most c = <paramref name="clipNorm"/>. Gradient: through the formula
    /// (the norm's square root is guarded, so an all-zero x gets the identity's gradient rather than NaN).
    /// </summary>
    public static Tensor ClipByNorm(Tensor x, Tensor clipNorm, int[]? axes = null) => throw BuildTime.Only("Ops.ClipByNorm");

    /// <summary>
    /// <c>tf.clip_by_global_norm</c>: with <c>g = √(Σᵢ‖xᵢ‖²)</c>, returns each <c>xᵢ·c / max(g, c)</c> and g.
    /// Gradient: through the formula.
    /// </summary>
    public static (Tensor[] Clipped, Tensor GlobalNorm) ClipByGlobalNorm(Tensor[] xs, Tensor clipNorm) => throw BuildTime.Only("Ops.ClipByGlobalNorm");
}
