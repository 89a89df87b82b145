using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Kernels;

/// <summary>How a reduction combines its elements.</summary>
public enum ReductionFold { Sum, Max, Min, Product }

public static class ReductionFolds
{
    /// <summary>The fold's starting value: 0, −∞, +∞, 1.</summary>
    public static double Identity(this ReductionFold f) => f switch
    {
        ReductionFold.Max => double.NegativeInfinity,
        ReductionFold.Min => double.PositiveInfinity,
        ReductionFold.Product => 1,
        _ => 0,
    };
}

/// <summary>A reduction in a kernel: <see cref="Result"/> folds <see cref="Input"/> along each row.</summary>
public sealed record KernelReduction(Node Result, Node Input, ReductionFold Fold)
{
    public DType DType => Result.DType;
}
