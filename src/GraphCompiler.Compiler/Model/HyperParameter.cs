using GraphCompiler.Compiler.Emit;

namespace GraphCompiler.Compiler.Model;

/// <summary>
/// A construction-time value of a model (<c>[Hyper] int Dim</c>): an int is a dimension, written as the
/// symbol <see cref="Name"/> in shapes and bound once by the generated constructor; a float is a value
/// that initializer arguments may read. <see cref="Name"/> is the C# property's name.
/// </summary>
public sealed record HyperParameter(string Name, bool IsDimension)
{
    /// <summary>The C# type of the property and of its constructor argument.</summary>
    public string CSharpType => IsDimension ? "int" : "float";

    /// <summary>The constructor argument: the property's name in camel case (<c>Dim</c> → <c>dim</c>).</summary>
    public string Argument => CSharpNames.Local(char.ToLowerInvariant(Name[0]) + Name.Substring(1));

    /// <summary>The text form <c>hyper int Dim</c>.</summary>
    public string ToText() => "hyper " + CSharpType + " " + Name;

    /// <summary>Reads the text form; null when <paramref name="line"/> is not a hyperparameter line.</summary>
    public static HyperParameter? Parse(string line)
    {
        var parts = line.Split(' ');
        return parts.Length == 3 && parts[0] == "hyper" ? new HyperParameter(parts[2], parts[1] == "int") : null;
    }
}
