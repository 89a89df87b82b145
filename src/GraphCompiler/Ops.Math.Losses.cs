namespace GraphCompiler;

// The math family: losses and dropout.
public static partial class Ops
{
    /// <summary>
    /// <c>L = mean((predictions − labels)²)</c> over every element, a scalar.
    /// Gradient: <c>dpredictions = 2(predictions − labels)/N·dL</c>, <c>dlabels = −dpredictions</c>.
    /// </summary>
    public static Tensor MeanSquaredError(Tensor labels, Tensor predictions) => throw BuildTime.Only("Ops.MeanSquaredError");

    /// <summary>
    /// Per-example <c>L = −Σᵢ labelsᵢ·log_softmax(logits)ᵢ</c> along <paramref name="axis"/> (dense labels,
    /// e.g. one-hot or probabilities), stable for large logits. Gradient:
    /// <c>dlogits = dL·(softmax(logits)·Σlabels − labels)</c>, <c>dlabels = −dL·log_softmax(logits)</c>.
    /// </summary>
    public static Tensor SoftmaxCrossEntropyWithLogits(Tensor labels, Tensor logits, int axis = -1) => throw BuildTime.Only("Ops.SoftmaxCrossEntropyWithLogits");

    /// <summary>
    /// Per-example <c>L = −log_softmax(logits)[label]</c> for Int32/Int64 class indices; labels have the
    /// shape of logits without its last (class) axis, whose size must be static. A label outside
    /// [0, classes) gives 0. Gradient: <c>dlogits = dL·(softmax(logits) − onehot(label))</c>; none to labels.
    /// </summary>
    public static Tensor SparseSoftmaxCrossEntropyWithLogits(Tensor labels, Tensor logits) => throw BuildTime.Only("Ops.SparseSoftmaxCrossEntropyWithLogits");

    /// <summary>
    /// Elementwise <c>L = −z·ln σ(x) − (1 − z)·ln(1 − σ(x))</c> for labels z and logits x, computed
    /// stably as <c>max(x, 0) − x·z + ln(1 + e^(−|x|))</c>. Gradient: <c>dx = dL·(σ(x) − z)</c>, <c>dz = −dL·x</c>.
    /// </summary>
    public static Tensor SigmoidCrossEntropyWithLogits(Tensor labels, Tensor logits) => throw BuildTime.Only("Ops.SigmoidCrossEntropyWithLogits");

    /// <summary><c>L = Σx²/2</c>, a scalar. Gradient: <c>dx = dL·x</c>.</summary>
    public static Tensor L2Loss(Tensor x) => throw BuildTime.Only("Ops.L2Loss");

    /// <summary>
    /// <c>L = Σ(values·mask) / max(Σmask, 1e-12)</c>, sums over every element with the mask broadcast
    /// to values' shape (a Bool mask counts as 0/1, a float mask as weights); an all-zero mask gives 0.
    /// Gradient: <c>dvalues = dL·mask / max(Σmask, 1e-12)</c>.
    /// </summary>
    public static Tensor MaskedMean(Tensor values, Tensor mask) => throw BuildTime.Only("Ops.MaskedMean");

    /// <summary>
    /// Inverted dropout: in <c>TrainStep</c>, each element is kept with probability keep = 1 − <paramref name="rate"/>
    /// and scaled by 1/keep, else zeroed; in every other entry point <c>y = x</c>. The mask is drawn from the
    /// counter-based Philox stream of (model seed, op <paramref name="seed"/>, global step), so runs are
    /// reproducible; without a seed the k-th dropout of the method gets a fixed derived one.
    /// <paramref name="rate"/> must be a compile-time value in [0, 1). Gradient: <c>dx = dy·mask/keep</c>.
    /// </summary>
    public static Tensor Dropout(Tensor x, float rate, int? seed = null) => throw BuildTime.Only("Ops.Dropout");

    /// <summary>
    /// TensorFlow 1.x's <c>tf.nn.dropout(x, keep_prob)</c>: the same as <see cref="Dropout"/> with
    /// rate = 1 − <paramref name="keepProb"/> (keep each element with probability keepProb, scale the kept ones by 1/keepProb
    /// at training time; the identity at inference). Gradient: dy masked and scaled the same way.
    /// </summary>
    public static Tensor DropoutKeep(Tensor x, float keepProb, int? seed = null) => throw BuildTime.Only("Ops.DropoutKeep");
}
