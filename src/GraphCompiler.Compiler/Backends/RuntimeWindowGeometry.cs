using System.Globalization;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Backends;

/// <summary>
/// A <see cref="ConvolutionCall"/>'s geometry as the runtime's <c>WindowGeometry</c> value, which the CPU
/// routines and the device library both take: one spelling for both back ends, so their geometries cannot drift.
/// </summary>
internal static class RuntimeWindowGeometry
{
    /// <summary>The constructor call, the batch as <paramref name="dim"/> spells a dim in the back end's code.</summary>
    public static string Of(ConvolutionCall call, Func<Dim, string> dim) =>
        Of(call.Geometry, call.Channels, call.OutChannels, call.Batch, dim);

    /// <summary>Any window over a [batch, H, W, channels] value (a convolution's, or a pooling's over its output).</summary>
    public static string Of(Ops.Window2D w, int channels, int outChannels, Dim batch, Func<Dim, string> dim)
    {
        var values = new[] { w.H, w.W, channels, w.KH, w.KW, outChannels, w.OH, w.OW, w.SH, w.SW, w.DH, w.DW, w.PadTop, w.PadLeft };
        return $"new GraphCompiler.Runtime.Kernels.WindowGeometry({dim(batch)}, {string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture)))})";
    }
}
