namespace GraphCompiler.Compiler.Kernels;

/// <summary>
/// How a kernel operand is addressed from the kernel's element (row r, position j along the row, flat
/// index i = r·inner + j). Renderers turn each into loads: a contiguous vector, a register broadcast
/// once per row, a literal in the code.
/// </summary>
public enum IndexMap
{
    /// <summary>The operand has the kernel's shape: element i.</summary>
    Contiguous,

    /// <summary>One value for the whole kernel (a [1] or scalar tensor).</summary>
    Scalar,

    /// <summary>A splat constant, written into the kernel as a literal.</summary>
    Literal,

    /// <summary>Broadcast over the rows (a bias [inner]): element j.</summary>
    RowBroadcast,

    /// <summary>Broadcast along each row ([rows, 1], or a row kernel's [rows]): element r.</summary>
    ColumnBroadcast,

    /// <summary>Any other broadcast: a base offset computed once per row from its coordinates, then j (or a single value) from it.</summary>
    Strided,

    /// <summary>Rows of a table picked by an ids operand (the gathered-row ops).</summary>
    Gathered,

    /// <summary>
    /// A column range of a wider operand (<see cref="ColumnWindow"/>): element r·width + offset + j of the
    /// strided_slice's source, read in place; the operand's value is the slice, its storage the source.
    /// </summary>
    ColumnWindow,
}
