namespace GraphCompiler.Compiler.Ops;

/// <summary>y = the int64 index of the first smallest element along <c>axis</c>. No gradient.</summary>
public sealed class ArgMin : ArgReduction
{
    public override string Name => "argmin";
    protected override bool Largest => false;
}
