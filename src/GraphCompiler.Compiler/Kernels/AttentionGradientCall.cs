using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Kernels;

/// <summary>
/// Autodiff's gradient of a fused attention (<see cref="AttentionGradient"/>) run as the fused backward routine: it
/// reads Q, K, V, the biases, the forward's output, row maxima and sums and the output's gradient — not the
/// exponentials and probabilities the region's nodes read — and stores dQ, dK and dV.
/// </summary>
public sealed class AttentionGradientCall : KernelDescription
{
    internal AttentionGradientCall(Kernel source, AttentionGradient gradient)
        : base(source, new IterationSpace(IterationKind.Library, gradient.Forward.Scores.Shape), OperandsOf(gradient), Array.Empty<Node>())
    {
        Gradient = gradient;
    }

    public AttentionGradient Gradient { get; }

    private static List<KernelOperand> OperandsOf(AttentionGradient gradient)
    {
        var c = gradient.Forward;
        var biases = c.Biases.Select(b => new KernelOperand(b, b.Shape.Equals(c.Scores.Shape) ? IndexMap.Contiguous : IndexMap.Strided));
        return new[] { c.Query, c.Key, c.Value }.Select(n => new KernelOperand(n, IndexMap.Contiguous)).Concat(biases)
            .Concat(new[] { c.Output, gradient.OutputGrad, c.Max, c.Sums }.Select(n => new KernelOperand(n, IndexMap.Contiguous))).ToList();
    }
}
