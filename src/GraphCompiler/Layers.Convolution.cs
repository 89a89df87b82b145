namespace GraphCompiler;

/// <summary>
/// Keras-style convolution layers, named and shared as every layer of <see cref="Layers"/> (<c>conv2d</c>,
/// <c>conv2d_1</c>, … or the <c>name</c> given, under the enclosing variable scopes). Each is applied at once
/// (<c>Conv2D(x, 32, [3, 3])</c>) or described without its input (<c>Conv2D(32, [3, 3])</c>) for
/// <see cref="Sequential"/> or <see cref="Layer.Apply"/>.
/// </summary>
public static partial class Layers
{
    /// <summary>
    /// <c>tf.keras.layers.Conv2D</c> on NHWC input: <c>y = activation(Conv2D(x, kernel) + bias)</c> with variables
    /// <c>conv2d/kernel</c> [kh, kw, in, filters] (Glorot-uniform) and <c>conv2d/bias</c> [filters] (zeros).
    /// The compiler fuses the bias and a relu into the convolution's store.
    /// Gradients: those of <see cref="Ops.Conv2D"/>, the broadcast add and the activation.
    /// </summary>
    public static Tensor Conv2D(Tensor x, int filters, int[] kernelSize, int[]? strides = null, Padding padding = Padding.Valid,
        int[]? dilationRate = null, Activation activation = Activation.Linear, bool useBias = true, string? name = null) =>
        throw BuildTime.Only("Layers.Conv2D");

    /// <summary>A <see cref="Conv2D(Tensor, int, int[], int[], Padding, int[], Activation, bool, string?)"/> layer to apply later.</summary>
    public static Layer Conv2D(int filters, int[] kernelSize, int[]? strides = null, Padding padding = Padding.Valid,
        int[]? dilationRate = null, Activation activation = Activation.Linear, bool useBias = true, string? name = null) =>
        throw BuildTime.Only("Layers.Conv2D");

    /// <summary>
    /// <c>tf.keras.layers.DepthwiseConv2D</c>: <c>y = activation(DepthwiseConv2D(x, depthwise_kernel) + bias)</c> with
    /// variables <c>depthwise_conv2d/depthwise_kernel</c> [kh, kw, in, depthMultiplier] (Glorot-uniform) and
    /// <c>depthwise_conv2d/bias</c> [in·depthMultiplier] (zeros). Gradients: those of <see cref="Ops.DepthwiseConv2D"/>.
    /// </summary>
    public static Tensor DepthwiseConv2D(Tensor x, int[] kernelSize, int[]? strides = null, Padding padding = Padding.Valid, int depthMultiplier = 1,
        int[]? dilationRate = null, Activation activation = Activation.Linear, bool useBias = true, string? name = null) =>
        throw BuildTime.Only("Layers.DepthwiseConv2D");

    /// <summary>A <see cref="DepthwiseConv2D(Tensor, int[], int[], Padding, int, int[], Activation, bool, string?)"/> layer to apply later.</summary>
    public static Layer DepthwiseConv2D(int[] kernelSize, int[]? strides = null, Padding padding = Padding.Valid, int depthMultiplier = 1,
        int[]? dilationRate = null, Activation activation = Activation.Linear, bool useBias = true, string? name = null) =>
        throw BuildTime.Only("Layers.DepthwiseConv2D");

    /// <summary><c>tf.keras.layers.MaxPooling2D</c>: <see cref="Ops.MaxPool2D"/>, strides defaulting to the pool size. No variables.</summary>
    public static Tensor MaxPooling2D(Tensor x, int[] poolSize, int[]? strides = null, Padding padding = Padding.Valid, string? name = null) =>
        throw BuildTime.Only("Layers.MaxPooling2D");

    /// <summary>A <see cref="MaxPooling2D(Tensor, int[], int[], Padding, string?)"/> layer to apply later.</summary>
    public static Layer MaxPooling2D(int[] poolSize, int[]? strides = null, Padding padding = Padding.Valid, string? name = null) =>
        throw BuildTime.Only("Layers.MaxPooling2D");

    /// <summary><c>tf.keras.layers.AveragePooling2D</c>: <see cref="Ops.AvgPool2D"/>, strides defaulting to the pool size. No variables.</summary>
    public static Tensor AveragePooling2D(Tensor x, int[] poolSize, int[]? strides = null, Padding padding = Padding.Valid, string? name = null) =>
        throw BuildTime.Only("Layers.AveragePooling2D");

    /// <summary>An <see cref="AveragePooling2D(Tensor, int[], int[], Padding, string?)"/> layer to apply later.</summary>
    public static Layer AveragePooling2D(int[] poolSize, int[]? strides = null, Padding padding = Padding.Valid, string? name = null) =>
        throw BuildTime.Only("Layers.AveragePooling2D");

    /// <summary>
    /// <c>tf.keras.layers.BatchNormalization</c> over the last axis (<see cref="Ops.BatchNormalization"/>), with
    /// variables <c>batch_normalization/gamma</c> (ones), <c>beta</c> (zeros) and the non-trainable, checkpointed
    /// <c>moving_mean</c> (zeros) and <c>moving_variance</c> (ones). <c>TrainStep</c> normalizes with the batch's
    /// statistics and updates the moving ones; every other entry point uses the moving ones.
    /// </summary>
    public static Tensor BatchNormalization(Tensor x, float momentum = 0.99f, float epsilon = 1e-3f, string? name = null) =>
        throw BuildTime.Only("Layers.BatchNormalization");

    /// <summary>A <see cref="BatchNormalization(Tensor, float, float, string?)"/> layer to apply later.</summary>
    public static Layer BatchNormalization(float momentum = 0.99f, float epsilon = 1e-3f, string? name = null) =>
        throw BuildTime.Only("Layers.BatchNormalization");
}
