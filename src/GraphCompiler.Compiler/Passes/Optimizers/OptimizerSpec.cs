using System.Globalization;

namespace GraphCompiler.Compiler.Passes.Optimizers;

/// <summary>
/// The optimizer and learning-rate settings of a model as plain data, with one canonical text
/// (<c>adam{beta1=0.9,beta2=0.999,epsilon=1E-08}</c>) that travels in the model definition.
/// </summary>
public sealed class OptimizerSpec
{
    private readonly SortedDictionary<string, string> _settings;

    public OptimizerSpec(string kind, IDictionary<string, string>? settings = null)
    {
        Kind = kind;
        _settings = new SortedDictionary<string, string>(settings ?? new Dictionary<string, string>(), StringComparer.Ordinal);
    }

    /// <summary>gradient_descent, momentum, adam, adamw, adagrad or rmsprop.</summary>
    public string Kind { get; }

    public static readonly string[] Kinds = { "gradient_descent", "momentum", "adam", "adamw", "adagrad", "rmsprop" };

    public static readonly string[] Schedules = { "constant", "exponential_decay", "piecewise_constant", "cosine_decay", "linear_decay" };

    /// <summary>AdamW's exclusions from weight decay, <c>|</c>-separated substrings of variable names.</summary>
    public const string WeightDecayExclude = "weight_decay_exclude";

    /// <summary>True when AdamW leaves <paramref name="variableName"/> undecayed: its name contains an excluded string (BERT's rule).</summary>
    public bool ExcludedFromWeightDecay(string variableName) =>
        GetString(WeightDecayExclude, "").Split(new[] { '|' }, StringSplitOptions.RemoveEmptyEntries).Any(p => variableName.IndexOf(p, StringComparison.Ordinal) >= 0);

    public double Get(string key, double fallback) =>
        _settings.TryGetValue(key, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public bool GetBool(string key) => _settings.TryGetValue(key, out var v) && v == "true";

    public string GetString(string key, string fallback) => _settings.TryGetValue(key, out var v) ? v : fallback;

    public double[] GetList(string key) =>
        _settings.TryGetValue(key, out var v) && v.Length > 0 ? v.Split('|').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray() : Array.Empty<double>();

    public OptimizerSpec With(string key, object value)
    {
        var copy = new Dictionary<string, string>(_settings)
        {
            [key] = value switch
            {
                bool b => b ? "true" : "false",
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                float f => ((double)f).ToString("R", CultureInfo.InvariantCulture),
                int i => i.ToString(CultureInfo.InvariantCulture),
                IEnumerable<double> list => string.Join("|", list.Select(x => x.ToString("R", CultureInfo.InvariantCulture))),
                string s => s,
                _ => throw new ArgumentException($"unsupported optimizer setting {value}"),
            },
        };
        return new OptimizerSpec(Kind, copy);
    }

    public override string ToString() =>
        _settings.Count == 0 ? Kind : Kind + "{" + string.Join(",", _settings.Select(kv => kv.Key + "=" + kv.Value)) + "}";

    public static OptimizerSpec Parse(string text)
    {
        int brace = text.IndexOf('{');
        if (brace < 0) return new OptimizerSpec(text);
        var settings = text.Substring(brace + 1, text.Length - brace - 2)
            .Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('='))
            .ToDictionary(p => p[0], p => p[1]);
        return new OptimizerSpec(text.Substring(0, brace), settings);
    }
}
