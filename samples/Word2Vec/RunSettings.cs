using System.Globalization;

namespace Word2Vec;

/// <summary>
/// The settings a checkpoint records so that a resumed run trains exactly as the interrupted one
/// would have: everything that shapes the model, the data order or the learning-rate schedule
/// (not where the run writes, how often it saves or where it stops). On resume a setting left off
/// the command line is taken from the checkpoint; one given with another value is an error.
/// </summary>
public static class RunSettings
{
    private const string Prefix = "setting:";

    private static readonly (string Name, Func<Options, string> Get, Func<Options, string, Options> Set)[] Entries =
    [
        ("--loss", o => Options.LossName(o.Loss), (o, v) => o with { Loss = v == "nce" ? LossKind.Nce : LossKind.NegativeSampling }),
        ("--dim", o => Text(o.Dim), (o, v) => o with { Dim = int.Parse(v, CultureInfo.InvariantCulture) }),
        ("--epochs", o => Text(o.Epochs), (o, v) => o with { Epochs = int.Parse(v, CultureInfo.InvariantCulture) }),
        ("--threads", o => Text(o.Threads), (o, v) => o with { Threads = int.Parse(v, CultureInfo.InvariantCulture) }),
        ("--window", o => Text(o.Window), (o, v) => o with { Window = int.Parse(v, CultureInfo.InvariantCulture) }),
        ("--negatives", o => Text(o.Negatives), (o, v) => o with { Negatives = int.Parse(v, CultureInfo.InvariantCulture) }),
        ("--share-negatives", o => Text(o.NegativeSharing), (o, v) => o with { NegativeSharing = int.Parse(v, CultureInfo.InvariantCulture) }),
        ("--seed", o => Text(o.Seed), (o, v) => o with { Seed = int.Parse(v, CultureInfo.InvariantCulture) }),
        ("--min-count", o => Text(o.MinCount), (o, v) => o with { MinCount = int.Parse(v, CultureInfo.InvariantCulture) }),
        ("--max-vocab", o => Text(o.MaxVocab), (o, v) => o with { MaxVocab = int.Parse(v, CultureInfo.InvariantCulture) }),
        ("--batch", o => Text(o.BatchSize), (o, v) => o with { BatchSize = int.Parse(v, CultureInfo.InvariantCulture) }),
        ("--learning-rate", o => o.LearningRate.ToString("R", CultureInfo.InvariantCulture), (o, v) => o with { LearningRate = float.Parse(v, CultureInfo.InvariantCulture) }),
        ("--subsample", o => o.Subsample.ToString("R", CultureInfo.InvariantCulture), (o, v) => o with { Subsample = double.Parse(v, CultureInfo.InvariantCulture) }),
        ("--lecture-init", o => o.LectureInit ? "true" : "false", (o, v) => o with { LectureInit = v == "true" }),
    ];

    /// <summary>The options that are recorded settings.</summary>
    public static IEnumerable<string> Names => Entries.Select(e => e.Name);

    /// <summary>The settings of <paramref name="options"/> as checkpoint metadata.</summary>
    public static IEnumerable<KeyValuePair<string, string>> ToMetadata(Options options) =>
        Entries.Select(e => KeyValuePair.Create(Prefix + e.Name.TrimStart('-'), e.Get(options)));

    /// <summary>
    /// <paramref name="options"/> with the checkpoint's settings wherever the command line left them out;
    /// the settings given with another value than the checkpoint's are returned as differences.
    /// </summary>
    public static (Options Merged, List<string> Differences) Merge(Options options, IReadOnlyDictionary<string, string> metadata)
    {
        var differences = new List<string>();
        foreach (var (name, get, set) in Entries)
        {
            if (!metadata.TryGetValue(Prefix + name.TrimStart('-'), out var recorded)) continue;
            if (!options.Given.Contains(name)) options = set(options, recorded);
            else if (get(options) != recorded) differences.Add($"{name} {get(options)} (the run's: {recorded})");
        }
        return (options, differences);
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
