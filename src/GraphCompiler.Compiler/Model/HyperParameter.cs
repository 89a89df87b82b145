using GraphCompiler.Compiler.Emit;

namespace GraphCompiler.Compiler.Model;

/// <summary>
/// A construction-time value of a model (<c>[Hyper] int Dim</c>): an int is a dimension, written as the
/// symbol <see cref="Name"/> in shapes and bound once by the generated constructor; a float is a value
/// that initializer arguments may read. <see cref="Name"/> is the C# property's name. A derived dimension
/// (<c>Dim * 2</c> in a shape) has an <see cref="Expression"/> over the others: the generator declares it as a
/// private property with that body, so it binds like any other dimension but is no constructor argument.
/// </summary>
public sealed record HyperParameter(string Name, bool IsDimension, string? Expression = null)
{
    /// <summary>Whether the constructor takes it (a declared [Hyper] property, not a derived dimension).</summary>
    public bool IsArgument => Expression is null;

    /// <summary>The C# type of the property and of its constructor argument.</summary>
    public string CSharpType => IsDimension ? "int" : "float";

    /// <summary>The constructor argument: the property's name in camel case (<c>Dim</c> → <c>dim</c>).</summary>
    public string Argument => CSharpNames.Local(char.ToLowerInvariant(Name[0]) + Name.Substring(1));

    /// <summary>The text form <c>hyper int Dim</c>, or <c>hyper int Dim_times_2 = (Dim * 2)</c> for a derived dimension.</summary>
    public string ToText() => "hyper " + CSharpType + " " + Name + (Expression is null ? "" : " = " + Expression);

    /// <summary>Reads the text form; null when <paramref name="line"/> is not a hyperparameter line.</summary>
    public static HyperParameter? Parse(string line)
    {
        var parts = line.Split(new[] { ' ' }, 5);
        if (parts.Length < 3 || parts[0] != "hyper") return null;
        if (parts.Length == 3) return new HyperParameter(parts[2], parts[1] == "int");
        return parts.Length == 5 && parts[3] == "=" ? new HyperParameter(parts[2], parts[1] == "int", parts[4]) : null;
    }
}
