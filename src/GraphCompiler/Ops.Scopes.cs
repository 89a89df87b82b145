namespace GraphCompiler;

public static partial class Ops
{
    /// <summary>
    /// Opens a name scope (<c>tf.name_scope</c>) until the returned value is disposed: op names and
    /// <see cref="Variable"/> names get the prefix <c>name/</c>; <see cref="GetVariable"/> names do not.
    /// Re-entering a name opens a uniquified scope (<c>layer_1</c>).
    /// </summary>
    /// <example><c>using var _ = NameScope("loss");</c></example>
    public static NameScopeContext NameScope(string name) => throw BuildTime.Only("Ops.NameScope");

    /// <summary>
    /// Opens a variable scope (<c>tf.variable_scope</c>) until the returned value is disposed: it
    /// prefixes <see cref="GetVariable"/> names and opens a name scope of the same name. Reuse is
    /// inherited by nested scopes: <see cref="Reuse.True"/> requires each variable to exist,
    /// <see cref="Reuse.Auto"/> creates or reuses, <see cref="Reuse.False"/> requires it not to exist.
    /// </summary>
    /// <example><c>using var scope = VariableScope("two_layers", Reuse.Auto);</c></example>
    public static VariableScopeContext VariableScope(string name, Reuse reuse = Reuse.False) => throw BuildTime.Only("Ops.VariableScope");

    /// <summary>
    /// Gets the variable named <c>scope/name</c> of the current variable scope, or creates it
    /// (<c>tf.get_variable</c>), following the scope's reuse mode. A shape or dtype different from
    /// the existing variable's is an error. <paramref name="initializer"/> defaults to
    /// <see cref="Init.GlorotUniform"/> as in TensorFlow.
    /// </summary>
    public static Tensor GetVariable(string name, int[] shape, Initializer? initializer = null, bool trainable = true, DType dtype = DType.Float32) =>
        throw BuildTime.Only("Ops.GetVariable");
}

/// <summary>How <see cref="Ops.GetVariable"/> treats existing variables in a variable scope.</summary>
public enum Reuse
{
    /// <summary>Create only: an existing variable of the same name is an error (inherits a reusing parent).</summary>
    False = 0,

    /// <summary>Reuse only: a missing variable is an error.</summary>
    True = 1,

    /// <summary>Create the variable if it is missing, reuse it otherwise (<c>tf.AUTO_REUSE</c>).</summary>
    Auto = 2,
}

/// <summary>An open name scope; disposing it closes the scope.</summary>
public sealed class NameScopeContext : IDisposable
{
    private NameScopeContext() { }

    /// <summary>Closes the scope.</summary>
    public void Dispose() => throw BuildTime.Only("NameScopeContext.Dispose");
}

/// <summary>An open variable scope; disposing it closes the scope.</summary>
public sealed class VariableScopeContext : IDisposable
{
    private VariableScopeContext() { }

    /// <summary>Switches the rest of this scope (and scopes opened inside it) to reuse existing variables.</summary>
    public void ReuseVariables() => throw BuildTime.Only("VariableScopeContext.ReuseVariables");

    /// <summary>Closes the scope.</summary>
    public void Dispose() => throw BuildTime.Only("VariableScopeContext.Dispose");
}
