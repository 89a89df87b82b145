using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Kernels;

/// <summary>How a kernel walks its elements.</summary>
public enum IterationKind
{
    /// <summary>One loop over the flat index of <see cref="IterationSpace.Shape"/>.</summary>
    Flat,

    /// <summary>Per row of the shape viewed as [rows, inner] (inner = the last dim), then along the row.</summary>
    PerRow,

    /// <summary>Per batch row, over table rows picked by ids (gather_dot, gather_weighted_sum, row_outer).</summary>
    PerGatheredRow,

    /// <summary>The loops belong to a library routine (GEMM and the other opaque calls).</summary>
    Library,
}

/// <summary>The elements a kernel iterates over.</summary>
public sealed record IterationSpace(IterationKind Kind, Shape Shape)
{
    /// <summary>The rows of a per-row space: every dim but the last.</summary>
    public Shape Rows => new(Shape.Take(Math.Max(0, Shape.Rank - 1)));

    /// <summary>The row length of a per-row space: the last dim.</summary>
    public Dim Inner => Shape[Shape.Rank - 1];
}
