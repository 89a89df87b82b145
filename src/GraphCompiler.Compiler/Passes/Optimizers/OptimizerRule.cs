using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Passes.Optimizers;

/// <summary>A slot variable an optimizer keeps per trainable variable (TF names: <c>var/Adam</c>).</summary>
public sealed record SlotSpec(string Suffix, double InitialValue);

/// <summary>
/// One optimizer's update, built into the train step as graph ops: given a variable, its
/// gradient, its slots and the step's scalar inputs, the new values of the slots and the variable.
/// Host-side scalars (the scheduled and bias-corrected learning rate) arrive as graph inputs.
/// </summary>
public abstract class OptimizerRule
{
    /// <summary>The name scope of the update ops, as in TensorFlow (<c>Adam</c>, <c>GradientDescent</c>).</summary>
    public abstract string ScopeName { get; }

    public virtual IReadOnlyList<SlotSpec> Slots => Array.Empty<SlotSpec>();

    /// <summary>Returns the new slot values (in <see cref="Slots"/> order) and the new variable value.</summary>
    public abstract (IReadOnlyList<Node> NewSlots, Node NewValue) Update(GraphBuilder b, Node variable, Node gradient, IReadOnlyList<Node> slots, StepInputs inputs);

    public static OptimizerRule For(OptimizerSpec spec) => spec.Kind switch
    {
        "gradient_descent" => new GradientDescentRule(),
        "momentum" => new MomentumRule(spec.Get("momentum", 0.9), spec.GetBool("nesterov")),
        "adam" => new AdamRule(spec.Get("beta1", 0.9), spec.Get("beta2", 0.999), spec.Get("epsilon", 1e-8), decoupledWeightDecay: false),
        "adamw" => new AdamRule(spec.Get("beta1", 0.9), spec.Get("beta2", 0.999), spec.Get("epsilon", 1e-8), decoupledWeightDecay: true),
        "adagrad" => new AdagradRule(spec.Get("initial_accumulator_value", 0.1)),
        "rmsprop" => new RMSPropRule(spec.Get("rho", 0.9), spec.Get("epsilon", 1e-10)),
        _ => throw new CompileException("GC0404", $"optimizer '{spec.Kind}' is not supported; use one of {string.Join(", ", OptimizerSpec.Kinds)}", null),
    };

    protected static Node Scalar(GraphBuilder b, double v, Node like) => b.Constant(v, like.DType);
}

/// <summary>The per-step scalar inputs of the update; <see cref="WeightDecayRate"/> is null where no decoupled decay applies.</summary>
public sealed record StepInputs(Node LearningRate, Node? WeightDecayRate);

internal sealed class GradientDescentRule : OptimizerRule
{
    public override string ScopeName => "GradientDescent";

    public override (IReadOnlyList<Node>, Node) Update(GraphBuilder b, Node v, Node g, IReadOnlyList<Node> slots, StepInputs s) =>
        (Array.Empty<Node>(), b.Sub(v, b.Mul(s.LearningRate, g)));
}

internal sealed class MomentumRule(double momentum, bool nesterov) : OptimizerRule
{
    public override string ScopeName => "Momentum";

    public override IReadOnlyList<SlotSpec> Slots => new[] { new SlotSpec("Momentum", 0) };

    public override (IReadOnlyList<Node>, Node) Update(GraphBuilder b, Node v, Node g, IReadOnlyList<Node> slots, StepInputs s)
    {
        var m = Scalar(b, momentum, v);
        var accum = b.Add(b.Mul(m, slots[0]), g);
        var step = nesterov ? b.Add(g, b.Mul(m, accum)) : accum;
        return (new[] { accum }, b.Sub(v, b.Mul(s.LearningRate, step)));
    }
}

/// <summary>
/// Adam as in TensorFlow 1.x: the learning-rate input is already lr·√(1−β₂ᵗ)/(1−β₁ᵗ), and ε is
/// added to √v (the "epsilon hat" of the paper's section 2). AdamW adds the decoupled decay
/// <c>v ← v − (lr·wd)·v</c>, with lr·wd as a second input.
/// </summary>
internal sealed class AdamRule(double beta1, double beta2, double epsilon, bool decoupledWeightDecay) : OptimizerRule
{
    public override string ScopeName => decoupledWeightDecay ? "AdamW" : "Adam";

    public override IReadOnlyList<SlotSpec> Slots => new[] { new SlotSpec("Adam", 0), new SlotSpec("Adam_1", 0) };

    public override (IReadOnlyList<Node>, Node) Update(GraphBuilder b, Node v, Node g, IReadOnlyList<Node> slots, StepInputs s)
    {
        var m = b.Add(b.Mul(Scalar(b, beta1, v), slots[0]), b.Mul(Scalar(b, 1 - beta1, v), g));
        var sq = b.Add(b.Mul(Scalar(b, beta2, v), slots[1]), b.Mul(Scalar(b, 1 - beta2, v), b.Mul(g, g)));
        var step = b.Div(m, b.Add(b.Apply("sqrt", new[] { sq }), Scalar(b, epsilon, v)));
        var updated = b.Sub(v, b.Mul(s.LearningRate, step));
        // A variable excluded from the decay (a bias, a layer norm's γ and β under BERT's rule) has no decay rate.
        if (decoupledWeightDecay && s.WeightDecayRate is { } decay) updated = b.Sub(updated, b.Mul(decay, v));
        return (new[] { m, sq }, updated);
    }
}

internal sealed class AdagradRule(double initial) : OptimizerRule
{
    public override string ScopeName => "Adagrad";

    public override IReadOnlyList<SlotSpec> Slots => new[] { new SlotSpec("Adagrad", initial) };

    public override (IReadOnlyList<Node>, Node) Update(GraphBuilder b, Node v, Node g, IReadOnlyList<Node> slots, StepInputs s)
    {
        var accum = b.Add(slots[0], b.Mul(g, g));
        return (new[] { accum }, b.Sub(v, b.Mul(s.LearningRate, b.Mul(g, b.Apply("rsqrt", new[] { accum })))));
    }
}

internal sealed class RMSPropRule(double rho, double epsilon) : OptimizerRule
{
    public override string ScopeName => "RMSProp";

    public override IReadOnlyList<SlotSpec> Slots => new[] { new SlotSpec("RMSProp", 0) };

    public override (IReadOnlyList<Node>, Node) Update(GraphBuilder b, Node v, Node g, IReadOnlyList<Node> slots, StepInputs s)
    {
        var ms = b.Add(b.Mul(Scalar(b, rho, v), slots[0]), b.Mul(Scalar(b, 1 - rho, v), b.Mul(g, g)));
        var step = b.Mul(g, b.Apply("rsqrt", new[] { b.Add(ms, Scalar(b, epsilon, v)) }));
        return (new[] { ms }, b.Sub(v, b.Mul(s.LearningRate, step)));
    }
}
