namespace GraphCompiler;

/// <summary>
/// Marks a <c>partial class</c> as a model. Its static methods whose parameters are all
/// <see cref="Tensor"/>s with a <see cref="ShapeAttribute"/> become entry points: the generator
/// lowers each to a static graph at build time and emits the typed members of the class.
/// The optimizer settings below are compiled into the generated <c>TrainStep</c>; their defaults are
/// TensorFlow 1.x's.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class ModelAttribute : Attribute
{
    /// <summary>The optimizer the generated train step applies to the <see cref="LossAttribute"/> method.</summary>
    public Optimizer Optimizer { get; set; } = Optimizer.GradientDescent;

    /// <summary>Momentum: the decay of the accumulated gradient (<c>momentum</c>, default 0.9).</summary>
    public float Momentum { get; set; } = 0.9f;

    /// <summary>Momentum: apply Nesterov's look-ahead update.</summary>
    public bool UseNesterov { get; set; }

    /// <summary>Adam, AdamW: decay of the first moment (default 0.9).</summary>
    public float Beta1 { get; set; } = 0.9f;

    /// <summary>Adam, AdamW: decay of the second moment (default 0.999).</summary>
    public float Beta2 { get; set; } = 0.999f;

    /// <summary>Adam, AdamW, RMSProp: the epsilon of the denominator (Adam's "epsilon hat", default 1e-8; RMSProp uses 1e-10 when left at 0).</summary>
    public float Epsilon { get; set; }

    /// <summary>AdamW: the decoupled weight decay rate (default 0.01), scaled by the learning rate.</summary>
    public float WeightDecay { get; set; } = 0.01f;

    /// <summary>RMSProp: the decay of the mean square (<c>decay</c>, default 0.9).</summary>
    public float Rho { get; set; } = 0.9f;

    /// <summary>Adagrad: the starting value of the accumulators (default 0.1).</summary>
    public float InitialAccumulatorValue { get; set; } = 0.1f;

    /// <summary>When positive, gradients are clipped by their global norm first (<c>tf.clip_by_global_norm</c>).</summary>
    public float ClipGlobalNorm { get; set; }

    /// <summary>
    /// Also generate the train step split at the gradient, for custom training loops and data-parallel
    /// training: <c>ComputeGradients(...)</c> returns a typed gradient set mirroring <c>Variables</c>
    /// (<c>gradients.TwoLayers.H1.Weights</c>, one flat float32 buffer), and <c>ApplyGradients(gradients,
    /// learningRate)</c> runs the compiled optimizer update with it.
    /// </summary>
    public bool GradientSet { get; set; }

    /// <summary>How the learning rate passed to <c>TrainStep</c> changes with the global step.</summary>
    public LearningRateDecay Schedule { get; set; } = LearningRateDecay.Constant;

    /// <summary>ExponentialDecay and CosineDecay: the steps of one decay period; LinearDecay: the step at which the rate reaches 0.</summary>
    public int DecaySteps { get; set; } = 1000;

    /// <summary>ExponentialDecay: the factor per period (default 0.96).</summary>
    public float DecayRate { get; set; } = 0.96f;

    /// <summary>ExponentialDecay: decay in whole periods (floor of step / DecaySteps).</summary>
    public bool Staircase { get; set; }

    /// <summary>PiecewiseConstant: the step boundaries, increasing.</summary>
    public int[]? Boundaries { get; set; }

    /// <summary>PiecewiseConstant: one more multiplier than boundaries, applied to the learning rate.</summary>
    public float[]? Values { get; set; }

    /// <summary>CosineDecay: the final fraction of the learning rate (default 0).</summary>
    public float Alpha { get; set; }

    /// <summary>Steps of linear warm-up from 0 to the scheduled learning rate (0: none).</summary>
    public int WarmupSteps { get; set; }

    /// <summary>
    /// AdamW: variables whose full name contains one of these strings get no weight decay (BERT's
    /// <c>new[] { "bias", "LayerNorm", "layer_norm" }</c>); by default every trainable variable decays, as in Keras and PyTorch.
    /// </summary>
    public string[]? WeightDecayExclude { get; set; }

    /// <summary>
    /// Variables or scopes the train step never trains (transfer learning's frozen body): a name freezes the
    /// variable of that full name and every variable under it as a scope (<c>"encoder"</c> freezes
    /// <c>encoder/dense/kernel</c>). Frozen variables get no gradient, no optimizer slots and no update.
    /// </summary>
    public string[]? Frozen { get; set; }

    /// <summary>
    /// Scopes the generated <c>Freeze</c> may freeze at run time (at most 4): one train step is generated
    /// per combination, each without the frozen variables' gradients and updates, and <c>TrainStep</c>
    /// runs the one of the scopes frozen now.
    /// </summary>
    public string[]? Freezable { get; set; }
}

/// <summary>How the generated train step updates trainable variables. Slot variables are named TF-style (<c>h1/weights/Adam</c>).</summary>
public enum Optimizer
{
    /// <summary>Plain gradient descent: <c>v ← v − lr · g</c>.</summary>
    GradientDescent = 0,

    /// <summary><c>a ← m·a + g; v ← v − lr·a</c> (Nesterov: <c>v ← v − lr·(g + m·a)</c>); slot <c>v/Momentum</c>.</summary>
    Momentum = 1,

    /// <summary>Adam with bias correction as in TensorFlow: <c>lr_t = lr·√(1−β₂ᵗ)/(1−β₁ᵗ); v ← v − lr_t·m/(√s + ε)</c>; slots <c>v/Adam</c>, <c>v/Adam_1</c>.</summary>
    Adam = 2,

    /// <summary>Adam with decoupled weight decay: also <c>v ← v − lr·wd·v</c>.</summary>
    AdamW = 3,

    /// <summary><c>a ← a + g²; v ← v − lr·g/√a</c>; slot <c>v/Adagrad</c>.</summary>
    Adagrad = 4,

    /// <summary><c>s ← ρ·s + (1−ρ)·g²; v ← v − lr·g/√(s + ε)</c>; slot <c>v/RMSProp</c>.</summary>
    RMSProp = 5,
}

/// <summary>Learning-rate schedules computed from the global step (<c>tf.train.*_decay</c>).</summary>
public enum LearningRateDecay
{
    Constant = 0,

    /// <summary><c>lr · rate^(step / decaySteps)</c> (floored with Staircase).</summary>
    ExponentialDecay = 1,

    /// <summary><c>lr · values[i]</c> for the i-th interval between boundaries.</summary>
    PiecewiseConstant = 2,

    /// <summary><c>lr · ((1 − α)·½(1 + cos(π·min(step, decaySteps)/decaySteps)) + α)</c>.</summary>
    CosineDecay = 3,

    /// <summary>
    /// BERT's schedule: <c>lr · max(0, 1 − step/decaySteps)</c> (polynomial decay of power 1 to 0); during the
    /// <c>WarmupSteps</c> the warm-up <c>lr · (step + 1)/warmupSteps</c> replaces it.
    /// </summary>
    LinearDecay = 4,
}
