namespace GraphCompiler;

/// <summary>
/// Marks a <c>partial class</c> as a model. Its static methods whose parameters are all
/// <see cref="Tensor"/>s with a <see cref="ShapeAttribute"/> become entry points: the generator
/// lowers each to a static graph at build time and emits the typed members of the class.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class ModelAttribute : Attribute
{
    /// <summary>The optimizer the generated train step applies to the <see cref="LossAttribute"/> method.</summary>
    public Optimizer Optimizer { get; set; } = Optimizer.GradientDescent;
}

/// <summary>How the generated train step updates trainable variables.</summary>
public enum Optimizer
{
    /// <summary>Plain gradient descent: <c>v ← v − learningRate · ∂loss/∂v</c>.</summary>
    GradientDescent = 0,
}
