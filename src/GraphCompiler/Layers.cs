namespace GraphCompiler;

/// <summary>
/// Keras-style layers for model code (<c>using static GraphCompiler.Layers;</c>). Each layer that owns
/// variables opens a variable scope named after it, uniquified within the entry method as Keras names
/// layers (<c>dense</c>, <c>dense_1</c>, …, or the <c>name</c> given), under the enclosing variable
/// scopes: <c>encoder/dense/kernel</c>. Every entry method builds its layers in the same order, so the
/// k-th <c>Dense</c> of <c>Loss</c> and of <c>Predict</c> are one layer with one set of weights (as
/// calling one Keras model from two places); its shapes must agree. A layer is either applied at once
/// (<c>Dense(x, 10)</c>, like <c>tf.layers.dense</c>) or described without its input
/// (<c>Dense(10)</c>) and applied by <see cref="Sequential"/> or <see cref="Layer.Apply"/>; a described
/// layer applied twice shares its weights, like one Keras layer object called twice.
/// </summary>
public static partial class Layers
{
    /// <summary>
    /// <c>y = activation(x·kernel + bias)</c> over the last axis of x (of static size n): variables
    /// <c>dense/kernel</c> [n, units] (Glorot uniform) and <c>dense/bias</c> [units] (zeros).
    /// Gradients: those of MatMul, the broadcast add and the activation.
    /// </summary>
    public static Tensor Dense(Tensor x, int units, Activation activation = Activation.Linear, bool useBias = true, string? name = null) =>
        throw BuildTime.Only("Layers.Dense");

    /// <summary>A <see cref="Dense(Tensor, int, Activation, bool, string?)"/> layer to apply later.</summary>
    public static Layer Dense(int units, Activation activation = Activation.Linear, bool useBias = true, string? name = null) =>
        throw BuildTime.Only("Layers.Dense");

    /// <summary>
    /// <c>y[i…, :] = embeddings[ids[i…], :]</c> for Int32 ids in [0, inputDim): variable
    /// <c>embedding/embeddings</c> [inputDim, outputDim], uniform in [−0.05, 0.05) as Keras.
    /// Gradient: a sparse row update of the table at the ids.
    /// </summary>
    public static Tensor Embedding(Tensor ids, int inputDim, int outputDim, string? name = null) => throw BuildTime.Only("Layers.Embedding");

    /// <summary>An <see cref="Embedding(Tensor, int, int, string?)"/> layer to apply later.</summary>
    public static Layer Embedding(int inputDim, int outputDim, string? name = null) => throw BuildTime.Only("Layers.Embedding");

    /// <summary>
    /// A dropout layer: <see cref="Ops.Dropout"/> with <paramref name="rate"/> in <c>TrainStep</c>, the
    /// identity in every other entry point. No variables.
    /// </summary>
    public static Layer Dropout(float rate, int? seed = null) => throw BuildTime.Only("Layers.Dropout");

    /// <summary>
    /// <c>[batch, d₁, …, dₖ] → [batch, d₁·…·dₖ]</c> (<c>[batch]</c> → <c>[batch, 1]</c>); the trailing dims
    /// must be static. Gradient: the reshape back.
    /// </summary>
    public static Tensor Flatten(Tensor x) => throw BuildTime.Only("Layers.Flatten");

    /// <summary>A <see cref="Flatten(Tensor)"/> layer to apply later.</summary>
    public static Layer Flatten() => throw BuildTime.Only("Layers.Flatten");

    /// <summary>
    /// <c>tf.keras.Sequential([...])(x)</c>: applies <paramref name="layers"/> to <paramref name="x"/> in order.
    /// </summary>
    /// <example><c>Sequential(images, Flatten(), Dense(512, Activation.Relu), Dropout(0.2f), Dense(10))</c></example>
    public static Tensor Sequential(Tensor x, params Layer[] layers) => throw BuildTime.Only("Layers.Sequential");
}

/// <summary>A layer described in model code (from <see cref="Layers"/>), applied by <see cref="Layers.Sequential"/> or <see cref="Apply"/>.</summary>
public sealed class Layer
{
    private Layer() { }

    /// <summary>Applies the layer to <paramref name="x"/>; applying the same layer again reuses its variables.</summary>
    public Tensor Apply(Tensor x) => throw BuildTime.Only("Layer.Apply");
}

/// <summary>The activation of a <see cref="Layers.Dense(Tensor, int, Activation, bool, string?)"/> layer, each the op of the same name in <see cref="Ops"/>.</summary>
public enum Activation
{
    /// <summary><c>y = x</c> (no activation, Keras's default).</summary>
    Linear = 0,

    /// <summary><see cref="Ops.Relu"/>.</summary>
    Relu = 1,

    /// <summary><see cref="Ops.Sigmoid"/>.</summary>
    Sigmoid = 2,

    /// <summary><see cref="Ops.Tanh"/>.</summary>
    Tanh = 3,

    /// <summary><see cref="Ops.Softmax"/> over the last axis.</summary>
    Softmax = 4,

    /// <summary><see cref="Ops.Elu"/>.</summary>
    Elu = 5,

    /// <summary><see cref="Ops.Selu"/>.</summary>
    Selu = 6,

    /// <summary><see cref="Ops.Gelu"/> (exact form).</summary>
    Gelu = 7,

    /// <summary><see cref="Ops.Swish"/>.</summary>
    Swish = 8,

    /// <summary><see cref="Ops.Softplus"/>.</summary>
    Softplus = 9,

    /// <summary><see cref="Ops.Relu6"/>.</summary>
    Relu6 = 10,
}
