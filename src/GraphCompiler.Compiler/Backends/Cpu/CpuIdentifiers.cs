using System.Text.RegularExpressions;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Backends.Cpu;

/// <summary>How much machinery a kernel method carries: none of its loops is there for nothing.</summary>
public enum KernelForm
{
    /// <summary>One element: straight-line code, no count, no loop.</summary>
    Single,

    /// <summary>A loop over the whole space, on the calling core.</summary>
    Whole,

    /// <summary>A loop that the runtime may split across cores.</summary>
    Split,
}

/// <summary>
/// Gives a rendered kernel the identifiers of its <see cref="KernelNames"/>. The emitters write
/// positional placeholders (<c>in0</c>, <c>out1</c>, <c>s0</c> for the first input's single value,
/// <c>v12</c> for node 12's value, <c>acc12</c> for its accumulator); this maps each to the name of
/// the value it stands for, with a suffix for values derived from it (<c>gradientScalar</c>,
/// <c>logitsAtRow</c>, <c>rowMaxAcc</c>). Comments are left alone.
/// </summary>
internal static class CpuIdentifiers
{
    private static readonly Regex Placeholder = new(@"\b(in|out|s|vs|c|vc|b|v|vv|acc|vacc|red|rv)([0-9]+)\b", RegexOptions.CultureInvariant);

    public static string Apply(string text, KernelDescription d, IReadOnlyList<Node> inputs)
    {
        var names = d.Names;
        var byId = d.Source.Members.ToDictionary(m => m.Id);
        string Replace(Match m)
        {
            int k = int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            return m.Groups[1].Value switch
            {
                "in" => names.Parameters[inputs[k]],
                "out" => names.Parameters[d.Outputs[k]],
                "s" => names.Parameters[inputs[k]] + "Scalar",
                "vs" => names.Parameters[inputs[k]] + "Splat",
                "c" => names.Parameters[inputs[k]] + "AtRow",
                "vc" => names.Parameters[inputs[k]] + "AtRowSplat",
                "b" => names.Parameters[inputs[k]] + "Base",
                "v" => names.Locals[byId[k]],
                "vv" => names.Locals[byId[k]] + "Splat",
                "acc" => names.Locals[byId[k]] + "Acc",
                "vacc" => names.Locals[byId[k]] + "Lanes",
                "red" => names.Locals[byId[k]] + "Block",
                _ => names.Locals[byId[k]] + "Rows",
            };
        }
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith("///", StringComparison.Ordinal)) continue;
            int comment = line.IndexOf("//", StringComparison.Ordinal);
            var code = comment < 0 ? line : line.Substring(0, comment);
            lines[i] = Placeholder.Replace(code, Replace) + (comment < 0 ? "" : line.Substring(comment));
        }
        return string.Join("\n", lines);
    }
}
