namespace GraphCompiler;

/// <summary>Magnitude pruning (the model-optimization toolkit's <c>prune_low_magnitude</c>).</summary>
public static partial class Ops
{
    /// <summary>
    /// <c>y = w ⊙ mask</c> for a variable w: creates (or, when it exists, reuses) the non-trainable variable
    /// <c>&lt;w's name&gt;_mask</c> of w's shape, all ones, which is checkpointed with the model. Use y where the
    /// model reads w. The runtime's <c>MagnitudePruning</c> sets the mask's smallest-magnitude entries to zero
    /// on its schedule and zeroes the masked weights after every step. Gradient: <c>dw = dy ⊙ mask</c>.
    /// </summary>
    public static Tensor Prune(Tensor variable) => throw BuildTime.Only("Ops.Prune");
}
