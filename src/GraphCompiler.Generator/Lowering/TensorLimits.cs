using System.Globalization;
using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// The largest tensor the generated code can hold: variable data and the arena are .NET arrays,
/// indexed by int, so no tensor may have more elements than the largest array (Array.MaxLength).
/// Larger static shapes would otherwise overflow the generated constants (CS0220) or throw when
/// the model is created.
/// </summary>
internal static class TensorLimits
{
    public const long MaxElements = 0x7FFFFFC7;

    /// <summary>The element count of a static part of <paramref name="shape"/> that is too large, or null.</summary>
    public static long? TooLarge(Shape shape)
    {
        // Symbolic dims are bound at call time; the static dims alone must still fit.
        decimal count = 1;
        foreach (var d in shape)
            if (d.IsStatic) count *= d.Size;
        return count > MaxElements ? (long)Math.Min(count, long.MaxValue) : null;
    }

    public static string Format(long count) => count.ToString("N0", CultureInfo.InvariantCulture);
}
