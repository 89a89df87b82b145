namespace GraphCompiler;

// The math family: activation functions. Each is written with its gradient for upstream dy.
public static partial class Ops
{
    /// <summary><c>y = max(x, 0)</c>. Gradient: <c>dx = dy</c> where x &gt; 0, else 0.</summary>
    public static Tensor Relu(Tensor x) => throw BuildTime.Only("Ops.Relu");

    /// <summary><c>y = min(max(x, 0), 6)</c>. Gradient: <c>dx = dy</c> where 0 &lt; x &lt; 6, else 0.</summary>
    public static Tensor Relu6(Tensor x) => throw BuildTime.Only("Ops.Relu6");

    /// <summary><c>y = x</c> for x &gt; 0, <c>α·x</c> otherwise. Gradient: <c>dx = dy</c> or <c>α·dy</c>.</summary>
    public static Tensor LeakyRelu(Tensor x, float alpha = 0.2f) => throw BuildTime.Only("Ops.LeakyRelu");

    /// <summary><c>y = x</c> for x &gt; 0, <c>eˣ − 1</c> otherwise. Gradient: <c>dx = dy</c> or <c>dy·eˣ</c>.</summary>
    public static Tensor Elu(Tensor x) => throw BuildTime.Only("Ops.Elu");

    /// <summary>
    /// <c>y = λx</c> for x &gt; 0, <c>λα(eˣ − 1)</c> otherwise, λ ≈ 1.0507, α ≈ 1.67326 (self-normalising).
    /// Gradient: <c>dx = λ·dy</c> or <c>λα·eˣ·dy</c>.
    /// </summary>
    public static Tensor Selu(Tensor x) => throw BuildTime.Only("Ops.Selu");

    /// <summary>
    /// <c>y = x·Φ(x) = ½x(1 + erf(x/√2))</c>; with <paramref name="approximate"/>,
    /// <c>½x(1 + tanh(√(2/π)(x + 0.044715x³)))</c>. erf is computed by a positive-term series with
    /// absolute error below 1e-15. Gradient (exact form): <c>dx = dy·(Φ(x) + x·φ(x))</c>, φ the normal density.
    /// </summary>
    public static Tensor Gelu(Tensor x, bool approximate = false) => throw BuildTime.Only("Ops.Gelu");

    /// <summary><c>y = σ(x) = 1/(1 + e⁻ˣ)</c>, without overflow. Gradient: <c>dx = dy·y·(1 − y)</c>.</summary>
    public static Tensor Sigmoid(Tensor x) => throw BuildTime.Only("Ops.Sigmoid");

    /// <summary><c>y = tanh x</c>. Gradient: <c>dx = dy·(1 − y²)</c>.</summary>
    public static Tensor Tanh(Tensor x) => throw BuildTime.Only("Ops.Tanh");

    /// <summary>
    /// <c>y = ln(1 + eˣ)</c>, computed stably as <c>max(x, 0) + ln(1 + e^(−|x|))</c>. Gradient: <c>dx = dy·σ(x)</c>.
    /// </summary>
    public static Tensor Softplus(Tensor x) => throw BuildTime.Only("Ops.Softplus");

    /// <summary><c>y = x / (1 + |x|)</c>. Gradient: <c>dx = dy / (1 + |x|)²</c>.</summary>
    public static Tensor Softsign(Tensor x) => throw BuildTime.Only("Ops.Softsign");

    /// <summary><c>y = x·σ(x)</c> (SiLU). Gradient: <c>dx = dy·(σ(x) + x·σ(x)(1 − σ(x)))</c>.</summary>
    public static Tensor Swish(Tensor x) => throw BuildTime.Only("Ops.Swish");

    /// <summary>
    /// <c>yᵢ = e^(xᵢ − m) / Σⱼ e^(xⱼ − m)</c> along <paramref name="axis"/>, m = max x (held constant, so
    /// nothing overflows). Gradient: <c>dx = y·(dy − Σⱼ dyⱼ·yⱼ)</c>.
    /// </summary>
    public static Tensor Softmax(Tensor logits, int axis = -1) => throw BuildTime.Only("Ops.Softmax");

    /// <summary>
    /// <c>yᵢ = (xᵢ − m) − ln Σⱼ e^(xⱼ − m)</c> along <paramref name="axis"/>, m = max x (held constant).
    /// Gradient: <c>dx = dy − softmax(x)·Σⱼ dyⱼ</c>.
    /// </summary>
    public static Tensor LogSoftmax(Tensor logits, int axis = -1) => throw BuildTime.Only("Ops.LogSoftmax");
}
