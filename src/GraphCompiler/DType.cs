namespace GraphCompiler;

/// <summary>Element types of tensors and variables.</summary>
public enum DType
{
    Float32 = 0,
    Float64 = 1,
    Int32 = 2,
    Int64 = 3,
    Bool = 4,
}
