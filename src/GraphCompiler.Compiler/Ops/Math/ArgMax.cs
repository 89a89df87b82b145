namespace GraphCompiler.Compiler.Ops;

/// <summary>y = the int64 index of the first largest element along <c>axis</c>. No gradient.</summary>
public sealed class ArgMax : ArgReduction
{
    public override string Name => "argmax";
    protected override bool Largest => true;
}
