namespace GraphCompiler;

// The math family: reductions. Axes may be negative (from the end); null means all axes.
public static partial class Ops
{
    /// <summary>
    /// <c>y = max x</c> over <paramref name="axes"/>. Gradient: dy shared equally among the positions
    /// attaining the maximum, <c>dx = dy·[x = y] / Σ[x = y]</c> (as TensorFlow).
    /// </summary>
    public static Tensor ReduceMax(Tensor x, int[]? axes = null, bool keepDims = false) => throw BuildTime.Only("Ops.ReduceMax");

    /// <summary>
    /// <c>y = min x</c> over <paramref name="axes"/>. Gradient: dy shared equally among the positions
    /// attaining the minimum, <c>dx = dy·[x = y] / Σ[x = y]</c>.
    /// </summary>
    public static Tensor ReduceMin(Tensor x, int[]? axes = null, bool keepDims = false) => throw BuildTime.Only("Ops.ReduceMin");

    /// <summary>
    /// <c>y = Π x</c> over <paramref name="axes"/>. Gradient: <c>dxᵢ = dy·Π_{j≠i} xⱼ</c>, computed without
    /// dividing by zero (correct when x has zeros).
    /// </summary>
    public static Tensor ReduceProd(Tensor x, int[]? axes = null, bool keepDims = false) => throw BuildTime.Only("Ops.ReduceProd");

    /// <summary>The Int64 index of the first largest element along <paramref name="axis"/> (which is removed). No gradient.</summary>
    public static Tensor ArgMax(Tensor x, int axis) => throw BuildTime.Only("Ops.ArgMax");

    /// <summary>The Int64 index of the first smallest element along <paramref name="axis"/> (which is removed). No gradient.</summary>
    public static Tensor ArgMin(Tensor x, int axis) => throw BuildTime.Only("Ops.ArgMin");

    /// <summary>
    /// <c>tf.nn.moments</c>: <c>mean = Σx/N</c> and <c>variance = Σ(x − mean)²/N</c> over
    /// <paramref name="axes"/>. Gradients: <c>dx = dmean/N + dvariance·2(x − mean)/N</c>.
    /// </summary>
    public static (Tensor Mean, Tensor Variance) Moments(Tensor x, int[] axes, bool keepDims = false) => throw BuildTime.Only("Ops.Moments");

    /// <summary><c>y = Σ(x − mean)²/N</c> over <paramref name="axes"/>. Gradient: <c>dx = dy·2(x − mean)/N</c>.</summary>
    public static Tensor ReduceVariance(Tensor x, int[]? axes = null, bool keepDims = false) => throw BuildTime.Only("Ops.ReduceVariance");

    /// <summary>
    /// <c>y = ln Σ eˣ</c> over <paramref name="axes"/>, computed stably as <c>m + ln Σ e^(x − m)</c>,
    /// m = max x. Gradient: <c>dx = dy·softmax(x)</c> over the reduced axes.
    /// </summary>
    public static Tensor ReduceLogSumExp(Tensor x, int[]? axes = null, bool keepDims = false) => throw BuildTime.Only("Ops.ReduceLogSumExp");
}
