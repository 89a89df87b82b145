using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Kernels;

/// <summary>
/// A contiguous range of columns of a wider row-major tensor: element (r, j) of the window is element
/// <c>r·SourceWidth + Offset + j</c> of its source. An LSTM's gates are such windows of one
/// [batch, 4·units] product; a fused kernel reads them in place (<see cref="IndexMap.ColumnWindow"/>)
/// and stores pieces of a last-axis concat straight into their columns (<see cref="ElementwiseKernel.WindowStores"/>),
/// instead of copying each window out or placing it into zeros.
/// </summary>
public sealed record ColumnWindow(int Offset, int SourceWidth)
{
    /// <summary>
    /// The window a strided_slice reads, when it is one: unit strides, every axis but the last taken
    /// whole, a static range of a static last axis. Null for any other slice or op.
    /// </summary>
    public static ColumnWindow? Of(Node n)
    {
        if (n.Op is not StridedSlice) return null;
        var source = n.Inputs[0].Shape;
        var shape = n.Shape;
        var begin = n.Attrs.GetInts("begin");
        if (source.Rank == 0 || shape.Rank != source.Rank || n.Attrs.GetInts("strides").Any(s => s != 1)) return null;
        int last = source.Rank - 1;
        for (int a = 0; a < last; a++)
            if (begin[a] != 0 || shape[a] != source[a]) return null;
        if (!source[last].IsStatic || !shape[last].IsStatic) return null;
        int width = source[last].Size;
        int offset = begin[last] < 0 ? begin[last] + width : begin[last];
        // The whole width is the source itself (an identity slice), not a window of it.
        return offset >= 0 && offset + shape[last].Size <= width && shape[last].Size < width ? new ColumnWindow(offset, width) : null;
    }

    /// <summary>
    /// The column offset of every input of a concat along the last axis of static width, in order;
    /// null for a concat along another axis (or of a symbolic width).
    /// </summary>
    public static int[]? ConcatOffsets(Node concat)
    {
        if (concat.Op is not Concat || concat.Shape.Rank == 0 || concat.Attrs.GetInt("axis") != concat.Shape.Rank - 1) return null;
        var offsets = new int[concat.Inputs.Count];
        int offset = 0;
        for (int i = 0; i < concat.Inputs.Count; i++)
        {
            var d = concat.Inputs[i].Shape[concat.Shape.Rank - 1];
            if (!d.IsStatic) return null;
            offsets[i] = offset;
            offset += d.Size;
        }
        return offsets;
    }
}
