namespace GraphCompiler;

/// <summary>
/// Keras-style layers. Each call creates its variables under the layer's name — given, or Keras's default
/// (<c>conv2d</c>, <c>conv2d_1</c>, … counted per model method, so a method that runs the same layers
/// again reuses them) — inside the current variable scope, and fetches them when they exist.
/// </summary>
public static partial class Layers
{
    /// <summary>
    /// <c>tf.keras.layers.Conv2D</c> on NHWC input: <c>y = Conv2D(x, kernel) + bias</c> with variables
    /// <c>conv2d/kernel</c> [kh, kw, in, filters] (Glorot-uniform) and <c>conv2d/bias</c> [filters] (zeros).
    /// Apply <see cref="Ops.Relu"/> to the result for Keras's <c>activation="relu"</c>: the compiler fuses the
    /// bias and relu into the convolution's store.
    /// </summary>
    public static Tensor Conv2D(Tensor x, int filters, int[] kernelSize, int[]? strides = null, Padding padding = Padding.Valid,
        int[]? dilationRate = null, bool useBias = true, string? name = null) => throw BuildTime.Only("Layers.Conv2D");

    /// <summary><c>tf.keras.layers.MaxPooling2D</c>: <see cref="Ops.MaxPool2D"/>, strides defaulting to the pool size.</summary>
    public static Tensor MaxPooling2D(Tensor x, int[] poolSize, int[]? strides = null, Padding padding = Padding.Valid) =>
        throw BuildTime.Only("Layers.MaxPooling2D");

    /// <summary><c>tf.keras.layers.AveragePooling2D</c>: <see cref="Ops.AvgPool2D"/>, strides defaulting to the pool size.</summary>
    public static Tensor AveragePooling2D(Tensor x, int[] poolSize, int[]? strides = null, Padding padding = Padding.Valid) =>
        throw BuildTime.Only("Layers.AveragePooling2D");

    /// <summary>
    /// <c>tf.keras.layers.BatchNormalization</c> over the last axis (<see cref="Ops.BatchNormalization"/>), with
    /// variables <c>batch_normalization/gamma</c> (ones), <c>beta</c> (zeros) and the non-trainable, checkpointed
    /// <c>moving_mean</c> (zeros) and <c>moving_variance</c> (ones). <c>TrainStep</c> normalizes with the batch's
    /// statistics and updates the moving ones; every other entry point uses the moving ones.
    /// </summary>
    public static Tensor BatchNormalization(Tensor x, float momentum = 0.99f, float epsilon = 1e-3f, string? name = null) =>
        throw BuildTime.Only("Layers.BatchNormalization");
}
