using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Kernels;

/// <summary>
/// An attention chain (<see cref="AttentionChain"/>) run as one fused routine: the back end computes the output
/// without storing the scores, and stores the softmax's pieces only where the graph reads them after the kernel
/// (<see cref="Stored"/>).
/// </summary>
public sealed class AttentionCall : KernelDescription
{
    private AttentionCall(Kernel source, IReadOnlyList<KernelOperand> operands, AttentionChain chain)
        : base(source, new IterationSpace(IterationKind.Library, chain.Output.Shape), operands, Array.Empty<Node>())
    {
        Chain = chain;
    }

    public AttentionChain Chain { get; }

    /// <summary>The piece of the softmax (<see cref="AttentionChain.Exps"/>, <see cref="AttentionChain.Sums"/> or <see cref="AttentionChain.Probabilities"/>) when the kernel stores it, else null.</summary>
    public Node? Stored(Node piece) => Outputs.Contains(piece) ? piece : null;

    internal static AttentionCall Lower(Kernel k)
    {
        var chain = AttentionChain.Of(k.Members);
        var operands = k.Inputs.Select(i => new KernelOperand(i, Ops.Constant.SplatValue(i) is not null ? IndexMap.Literal
            : chain.Biases.Contains(i) && !i.Shape.Equals(chain.Scores.Shape) ? IndexMap.Strided : IndexMap.Contiguous)).ToList();
        return new AttentionCall(k, operands, chain);
    }
}
