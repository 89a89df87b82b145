using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace GraphCompiler.Samples;

/// <summary>
/// Checks of the typed text of an option or argument, so a value that does not parse or is out of range
/// gets one message saying what is needed ("--batch needs an integer ≥ 1, got '0'") rather than a type name.
/// </summary>
public static class Validate
{
    /// <summary>Requires the typed value to pass <paramref name="valid"/>; the error says the option <paramref name="needs"/> it.</summary>
    public static T Text<T>(T option, Func<string, bool> valid, string needs) where T : Option
    {
        option.Validators.Add(r => Check(r, option.Name, valid, needs));
        return option;
    }

    /// <summary>Requires the typed value of an argument to pass <paramref name="valid"/>.</summary>
    public static Argument<T> Text<T>(Argument<T> argument, Func<string, bool> valid, string needs)
    {
        argument.Validators.Add(r => Check(r, argument.Name, valid, needs));
        return argument;
    }

    /// <summary>Requires an integer of at least <paramref name="min"/>.</summary>
    public static Option<int> AtLeast(Option<int> option, int min) => Text(option, t => IntegerAtLeast(t, min), $"an integer ≥ {min}");

    /// <summary>A finite number (invariant culture) that passes <paramref name="inRange"/>.</summary>
    public static bool Number(string text, Func<double, bool> inRange) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value) && inRange(value);

    /// <summary>An integer of at least <paramref name="min"/>.</summary>
    public static bool IntegerAtLeast(string text, long min) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) && value >= min;

    private static void Check(SymbolResult result, string name, Func<string, bool> valid, string needs)
    {
        if (result.Tokens.Count > 0 && !valid(result.Tokens[0].Value))
            result.AddError($"{name} needs {needs}, got '{result.Tokens[0].Value}'");
    }
}
