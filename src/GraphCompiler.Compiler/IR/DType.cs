namespace GraphCompiler.Compiler.IR;

/// <summary>Element types of the IR. Numeric values match <c>GraphCompiler.DType</c> in the user API.</summary>
public enum DType
{
    Float32 = 0,
    Float64 = 1,
    Int32 = 2,
    Int64 = 3,
    Bool = 4,
}

public static class DTypes
{
    public static bool IsFloat(this DType t) => t is DType.Float32 or DType.Float64;

    public static bool IsInteger(this DType t) => t is DType.Int32 or DType.Int64;

    /// <summary>Short form used in the IR text and in messages: f32, f64, i32, i64, bool.</summary>
    public static string ShortName(this DType t) => t switch
    {
        DType.Float32 => "f32",
        DType.Float64 => "f64",
        DType.Int32 => "i32",
        DType.Int64 => "i64",
        DType.Bool => "bool",
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    public static DType Parse(string s) => s switch
    {
        "f32" => DType.Float32,
        "f64" => DType.Float64,
        "i32" => DType.Int32,
        "i64" => DType.Int64,
        "bool" => DType.Bool,
        _ => throw new FormatException($"unknown dtype '{s}'"),
    };

    /// <summary>The C# element type that generated code uses for a dtype.</summary>
    public static string CSharpName(this DType t) => t switch
    {
        DType.Float32 => "float",
        DType.Float64 => "double",
        DType.Int32 => "int",
        DType.Int64 => "long",
        DType.Bool => "bool",
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    public static int SizeInBytes(this DType t) => t switch
    {
        DType.Float32 or DType.Int32 => 4,
        DType.Float64 or DType.Int64 => 8,
        DType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };
}
