namespace GraphCompiler;

/// <summary>
/// The graph-building operations of model code (<c>using static GraphCompiler.Ops;</c>). Each call
/// adds a node to the graph the generator builds at compile time; none of them runs at run time.
/// Gradients below are written for an upstream gradient <c>dy</c>.
/// </summary>
public static partial class Ops
{
    /// <summary>
    /// Creates a new model variable (TensorFlow's <c>tf.Variable</c>), named <paramref name="name"/>
    /// under the current name scope. A name already taken is made unique (<c>W</c>, <c>W_1</c>, …);
    /// use <see cref="GetVariable"/> to share a variable. Its value persists across calls and is
    /// updated by the optimizer when <paramref name="trainable"/>.
    /// </summary>
    /// <param name="name">The variable's name within the current scope.</param>
    /// <param name="shape">Static dimensions (compile-time ints).</param>
    /// <param name="init">The initializer, from <see cref="Init"/>.</param>
    /// <param name="trainable">Whether the optimizer updates it.</param>
    /// <param name="dtype">The element type.</param>
    public static Tensor Variable(string name, int[] shape, Initializer init, bool trainable = true, DType dtype = DType.Float32) =>
        throw BuildTime.Only("Ops.Variable");

    /// <summary>A scalar constant <paramref name="value"/> (Float32). No gradient.</summary>
    public static Tensor Constant(float value) => throw BuildTime.Only("Ops.Constant");

    /// <summary>A rank-1 constant holding <paramref name="values"/> (Float32). No gradient.</summary>
    public static Tensor Constant(float[] values) => throw BuildTime.Only("Ops.Constant");

    /// <summary>A constant of <paramref name="shape"/> holding <paramref name="values"/> in C order
    /// (one value fills the whole shape). No gradient.</summary>
    public static Tensor Constant(float[] values, int[] shape) => throw BuildTime.Only("Ops.Constant");

    /// <summary>Elementwise <c>y = x²</c>. Gradient: <c>dx = 2·x·dy</c>.</summary>
    public static Tensor Square(Tensor x) => throw BuildTime.Only("Ops.Square");

    /// <summary>
    /// <c>y = Σ x</c> over <paramref name="axes"/> (all axes when null; negative axes count from the
    /// end), keeping reduced axes as size 1 when <paramref name="keepDims"/>.
    /// Gradient: <c>dx = broadcast(dy)</c> back to the shape of x.
    /// </summary>
    public static Tensor ReduceSum(Tensor x, int[]? axes = null, bool keepDims = false) => throw BuildTime.Only("Ops.ReduceSum");

    /// <summary>
    /// <c>y = (Σ x) / N</c> over <paramref name="axes"/>, N the number of elements reduced (known
    /// at call time for symbolic dimensions). Gradient: <c>dx = broadcast(dy) / N</c>.
    /// </summary>
    public static Tensor ReduceMean(Tensor x, int[]? axes = null, bool keepDims = false) => throw BuildTime.Only("Ops.ReduceMean");

    /// <summary>
    /// Matrix product <c>C = op(A)·op(B)</c> over the last two axes, op transposing them when the flag
    /// is set. Rank-2 inputs are matrices; with rank ≥ 3 the leading batch axes broadcast as in
    /// NumPy/TensorFlow <c>matmul</c> (<c>[b, m, k]·[k, n]</c> → <c>[b, m, n]</c>).
    /// Gradient (no transposes): <c>dA = dy·Bᵀ</c>, <c>dB = Aᵀ·dy</c>, each summed over the batch
    /// axes its input was broadcast along.
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b, bool transposeA = false, bool transposeB = false) => throw BuildTime.Only("Ops.MatMul");

    /// <summary>
    /// The elements of <paramref name="x"/> in C order under a new <paramref name="shape"/>; one
    /// dimension may be -1 and is inferred. Gradient: <c>dx = reshape(dy, shape(x))</c>.
    /// </summary>
    public static Tensor Reshape(Tensor x, int[] shape) => throw BuildTime.Only("Ops.Reshape");

    /// <summary>
    /// Permutes axes: output axis i is input axis <c>perm[i]</c> (reversed when null).
    /// Gradient: <c>dx = transpose(dy, perm⁻¹)</c>.
    /// </summary>
    public static Tensor Transpose(Tensor x, int[]? perm = null) => throw BuildTime.Only("Ops.Transpose");

    /// <summary>
    /// <c>tf.assign</c>: stores <paramref name="value"/> into <paramref name="variable"/> (which must
    /// be a variable) after the entry point's outputs are computed, and returns the value.
    /// No gradient flows through a state update.
    /// </summary>
    public static Tensor Assign(Tensor variable, Tensor value) => throw BuildTime.Only("Ops.Assign");
}
