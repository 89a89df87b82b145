namespace GraphCompiler.Compiler.Kernels;

/// <summary>What a member of a row kernel holds, per row of its [rows, inner] iteration space.</summary>
public enum RowRole
{
    /// <summary>One value per element of the row (shape [rows, inner]).</summary>
    Element,

    /// <summary>One value per row (shape [rows, 1] or [rows]), computed between the row's passes.</summary>
    RowValue,

    /// <summary>A last-axis reduction: a pass over the row's elements that yields one value per row.</summary>
    Reduce,
}
