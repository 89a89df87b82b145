namespace GraphCompiler.Compiler.IR;

/// <summary>A model variable as the compiler knows it: full scoped name, type, initializer.</summary>
public sealed record VariableInfo(string Name, DType DType, Shape Shape, InitSpec Init, bool Trainable, SourceSpan? Source = null);

/// <summary>
/// How a variable is initialised by the generated constructor. <see cref="Kind"/> is one of
/// constant, zeros, ones, random_normal (A = mean, B = stddev), random_uniform (A = min, B = max),
/// truncated_normal (A = mean, B = stddev), glorot_uniform. <see cref="OpSeed"/> keys the
/// counter-based RNG together with the graph seed, so each variable draws its own stream.
/// <see cref="AExpression"/> and <see cref="BExpression"/>, when set, are C# expressions over the model's
/// hyperparameters (<c>(-0.5 / (double)Dim)</c>) that the generated constructor evaluates in place of A and B.
/// </summary>
public sealed record InitSpec(string Kind, double[] Values, double A, double B, int OpSeed, string? AExpression = null, string? BExpression = null)
{
    public static InitSpec Constant(params double[] values) => new("constant", values, 0, 0, 0);

    public static InitSpec Zeros { get; } = new("zeros", Array.Empty<double>(), 0, 0, 0);

    public bool IsRandom => Kind is "random_normal" or "random_uniform" or "truncated_normal" or "glorot_uniform";

    public bool Equals(InitSpec? other) =>
        other is not null && Kind == other.Kind && Values.SequenceEqual(other.Values) && A.Equals(other.A) && B.Equals(other.B) && OpSeed == other.OpSeed
        && AExpression == other.AExpression && BExpression == other.BExpression;

    public override int GetHashCode() => (Kind, Values.Length, A, B, OpSeed).GetHashCode();
}
