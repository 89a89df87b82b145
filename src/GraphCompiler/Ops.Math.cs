namespace GraphCompiler;

// The math family: elementwise math, comparisons, logical ops and casts. Binary ops broadcast
// (NumPy rules); a float literal takes the dtype of the other operand. Gradients are written for
// an upstream gradient dy and are summed over broadcast axes.
public static partial class Ops
{
    /// <summary>Elementwise <c>y = |x|</c> (numeric dtypes). Gradient: <c>dx = dy·sign(x)</c> (0 at 0).</summary>
    public static Tensor Abs(Tensor x) => throw BuildTime.Only("Ops.Abs");

    /// <summary>Elementwise <c>y = sign(x)</c> ∈ {−1, 0, 1} (numeric dtypes). Gradient: <c>dx = 0</c>.</summary>
    public static Tensor Sign(Tensor x) => throw BuildTime.Only("Ops.Sign");

    /// <summary>Elementwise <c>y = eˣ</c>. Gradient: <c>dx = dy·y</c>.</summary>
    public static Tensor Exp(Tensor x) => throw BuildTime.Only("Ops.Exp");

    /// <summary>Elementwise natural logarithm <c>y = ln x</c>. Gradient: <c>dx = dy / x</c>.</summary>
    public static Tensor Log(Tensor x) => throw BuildTime.Only("Ops.Log");

    /// <summary>Elementwise <c>y = ln(1 + x)</c>, accurate for tiny x. Gradient: <c>dx = dy / (1 + x)</c>.</summary>
    public static Tensor Log1p(Tensor x) => throw BuildTime.Only("Ops.Log1p");

    /// <summary>Elementwise <c>y = √x</c>. Gradient: <c>dx = dy / (2y)</c>.</summary>
    public static Tensor Sqrt(Tensor x) => throw BuildTime.Only("Ops.Sqrt");

    /// <summary>Elementwise <c>y = 1/√x</c>. Gradient: <c>dx = −½·dy·y³</c>.</summary>
    public static Tensor Rsqrt(Tensor x) => throw BuildTime.Only("Ops.Rsqrt");

    /// <summary>Elementwise <c>y = 1/x</c>. Gradient: <c>dx = −dy·y²</c>.</summary>
    public static Tensor Reciprocal(Tensor x) => throw BuildTime.Only("Ops.Reciprocal");

    /// <summary>
    /// Elementwise <c>z = xʸ</c> (float). Gradient: <c>dx = dy·y·x^(y−1)</c>; <c>dy_y = dy·z·ln x</c>
    /// where x &gt; 0 and 0 elsewhere.
    /// </summary>
    public static Tensor Pow(Tensor x, Tensor y) => throw BuildTime.Only("Ops.Pow");

    /// <summary>
    /// Elementwise <c>z = max(x, y)</c>. Gradient: dy goes to x where x ≥ y, to y elsewhere (a tie sends
    /// it all to x, as TensorFlow).
    /// </summary>
    public static Tensor Maximum(Tensor x, Tensor y) => throw BuildTime.Only("Ops.Maximum");

    /// <summary>
    /// Elementwise <c>z = min(x, y)</c>. Gradient: dy goes to x where x ≤ y, to y elsewhere (a tie sends
    /// it all to x, as TensorFlow).
    /// </summary>
    public static Tensor Minimum(Tensor x, Tensor y) => throw BuildTime.Only("Ops.Minimum");

    /// <summary>
    /// Elementwise <c>z = condition ? x : y</c> (<c>tf.where</c>); condition is Bool, x and y share a
    /// dtype, all three broadcast. Gradient: <c>dx = where(c, dy, 0)</c>, <c>dy_y = where(c, 0, dy)</c>;
    /// none to the condition.
    /// </summary>
    public static Tensor Where(Tensor condition, Tensor x, Tensor y) => throw BuildTime.Only("Ops.Where");

    /// <summary><c>tf.compat.v1.select</c>: the same op as <see cref="Where"/>.</summary>
    public static Tensor Select(Tensor condition, Tensor x, Tensor y) => throw BuildTime.Only("Ops.Select");

    /// <summary>Elementwise <c>x = y</c> → Bool. No gradient.</summary>
    public static Tensor Equal(Tensor x, Tensor y) => throw BuildTime.Only("Ops.Equal");

    /// <summary>Elementwise <c>x ≠ y</c> → Bool. No gradient.</summary>
    public static Tensor NotEqual(Tensor x, Tensor y) => throw BuildTime.Only("Ops.NotEqual");

    /// <summary>Elementwise <c>x &lt; y</c> → Bool. No gradient.</summary>
    public static Tensor Less(Tensor x, Tensor y) => throw BuildTime.Only("Ops.Less");

    /// <summary>Elementwise <c>x ≤ y</c> → Bool. No gradient.</summary>
    public static Tensor LessEqual(Tensor x, Tensor y) => throw BuildTime.Only("Ops.LessEqual");

    /// <summary>Elementwise <c>x &gt; y</c> → Bool. No gradient.</summary>
    public static Tensor Greater(Tensor x, Tensor y) => throw BuildTime.Only("Ops.Greater");

    /// <summary>Elementwise <c>x ≥ y</c> → Bool. No gradient.</summary>
    public static Tensor GreaterEqual(Tensor x, Tensor y) => throw BuildTime.Only("Ops.GreaterEqual");

    /// <summary>Elementwise <c>x ∧ y</c> on Bool tensors. No gradient.</summary>
    public static Tensor LogicalAnd(Tensor x, Tensor y) => throw BuildTime.Only("Ops.LogicalAnd");

    /// <summary>Elementwise <c>x ∨ y</c> on Bool tensors. No gradient.</summary>
    public static Tensor LogicalOr(Tensor x, Tensor y) => throw BuildTime.Only("Ops.LogicalOr");

    /// <summary>Elementwise <c>x ⊕ y</c> (exclusive or) on Bool tensors. No gradient.</summary>
    public static Tensor LogicalXor(Tensor x, Tensor y) => throw BuildTime.Only("Ops.LogicalXor");

    /// <summary>Elementwise <c>¬x</c> on a Bool tensor. No gradient.</summary>
    public static Tensor LogicalNot(Tensor x) => throw BuildTime.Only("Ops.LogicalNot");

    /// <summary>
    /// Converts x to <paramref name="dtype"/>: float to integer truncates toward zero, anything to Bool
    /// is <c>x ≠ 0</c>, Bool to a number is 0 or 1. Gradient: <c>dx = cast(dy)</c> when both dtypes are
    /// float; none otherwise.
    /// </summary>
    public static Tensor Cast(Tensor x, DType dtype) => throw BuildTime.Only("Ops.Cast");
}
