using System.CommandLine;
using GraphCompiler.Samples;

namespace CountVectors;

/// <summary>The CountVectors command line (System.CommandLine): its options, their checks and the binding to <see cref="Options"/>.</summary>
public sealed class CommandLine
{
    /// <summary>
    /// The Word2Vec options each sgns/nce run is given from this program's own settings; repeated in
    /// --word2vec-args they would contradict them (and the comparison would silently differ), so they are refused there.
    /// </summary>
    public static readonly IReadOnlyList<string> Word2VecOptionsSetHere = ["--corpus", "--logdir", "--epochs", "--threads", "--dim", "--min-count", "--seed", "--loss", "--smoke"];

    private static readonly Options Defaults = new();

    private readonly Option<IReadOnlyList<Method>> _methods = new("--method")
    {
        // No default value here: help would print the list's type, not "all"; Bind fills it.
        Description = "The methods to train and compare: ppmi-svd, glove, sgns, nce (comma-separated), or all (default all)",
        CustomParser = result => ParseMethods(result.Tokens[0].Value, result.AddError),
        HelpName = "M[,M…]",
    };
    private readonly Option<string?> _corpus = new("--corpus") { Description = "Text to train on, plain or .gz (default: the shipped corpus)", HelpName = "PATH" };
    private readonly Option<string> _logDir = new("--logdir") { Description = "Where the timestamped run directory goes", DefaultValueFactory = _ => Defaults.LogDir, HelpName = "DIR" };
    private readonly Option<string?> _analogies = new("--analogies") { Description = "Questions-words file (default: ../shared/eval/questions-words.txt when present)", HelpName = "PATH" };
    private readonly Option<string?> _wordSim = new("--wordsim") { Description = "WordSim-353 file (default: ../shared/eval/wordsim353.tsv when present)", HelpName = "PATH" };
    private readonly Option<string?> _simLex = new("--simlex") { Description = "SimLex-999 file (default: ../shared/eval/simlex999.txt when present)", HelpName = "PATH" };
    private readonly Option<int> _dim = Validate.AtLeast(new("--dim") { Description = "Vector width", DefaultValueFactory = _ => Defaults.Dim, HelpName = "N" }, 1);
    private readonly Option<int> _minCount = Validate.AtLeast(new("--min-count") { Description = "Drop words rarer than this, as Word2Vec does", DefaultValueFactory = _ => Defaults.MinCount, HelpName = "N" }, 1);
    private readonly Option<int> _threads = Validate.AtLeast(new("--threads") { Description = "Threads for counting, SVD products, GloVe and word2vec (default: all cores)", DefaultValueFactory = _ => Defaults.Threads, HelpName = "N" }, 1);
    private readonly Option<int> _seed = Validate.AtLeast(new("--seed") { Description = "Seed of every method", DefaultValueFactory = _ => Defaults.Seed, HelpName = "N" }, 0);
    private readonly Option<int> _ppmiWindow = Validate.AtLeast(new("--ppmi-window") { Description = "PPMI's flat symmetric window", DefaultValueFactory = _ => Defaults.PpmiWindow, HelpName = "N" }, 1);
    private readonly Option<double> _alpha = Number(new Option<double>("--alpha") { Description = "Context-distribution smoothing exponent", DefaultValueFactory = _ => Defaults.Alpha, HelpName = "X" }, x => x > 0 && x <= 1, "a number in (0, 1]");
    private readonly Option<double> _shift = Number(new Option<double>("--shift") { Description = "PMI shifted by log K (1: no shift)", DefaultValueFactory = _ => Defaults.Shift, HelpName = "K" }, x => x >= 1, "a number ≥ 1");
    private readonly Option<double> _eig = Number(new Option<double>("--eig") { Description = "Eigenvalue weighting of the SVD vectors U·Σ^P: 0, 0.5 or 1", DefaultValueFactory = _ => Defaults.EigenWeight, HelpName = "P" }, x => x >= 0, "a number ≥ 0");
    private readonly Option<int> _powerIterations = Validate.AtLeast(new("--power-iterations") { Description = "Power iterations of the randomized SVD", DefaultValueFactory = _ => Defaults.PowerIterations, HelpName = "N" }, 0);
    private readonly Option<int> _gloveWindow = Validate.AtLeast(new("--glove-window") { Description = "GloVe's 1/distance-weighted window", DefaultValueFactory = _ => Defaults.GloVeWindow, HelpName = "N" }, 1);
    private readonly Option<int> _gloveEpochs = Validate.AtLeast(new("--glove-epochs") { Description = "Passes over the nonzero entries", DefaultValueFactory = _ => Defaults.GloVeEpochs, HelpName = "N" }, 1);
    private readonly Option<float> _gloveRate = Number(new Option<float>("--glove-rate") { Description = "Adagrad's learning rate", DefaultValueFactory = _ => Defaults.GloVeLearningRate, HelpName = "X" }, x => x > 0, "a positive number");
    private readonly Option<double> _xMax = Number(new Option<double>("--x-max") { Description = "GloVe's weighting cutoff", DefaultValueFactory = _ => Defaults.XMax, HelpName = "X" }, x => x > 0, "a positive number");
    private readonly Option<int> _batch = Validate.AtLeast(new("--batch") { Description = "Entries per GloVe step", DefaultValueFactory = _ => Defaults.Batch, HelpName = "N" }, 1);
    private readonly Option<int> _word2vecEpochs = Validate.AtLeast(new("--word2vec-epochs") { Description = "Epochs of the sgns and nce runs", DefaultValueFactory = _ => Defaults.Word2VecEpochs, HelpName = "N" }, 1);
    private readonly Option<string?> _word2vecProgram = new("--word2vec") { Description = "The Word2Vec program, Word2Vec.dll (default: the one built beside this repository's samples)", HelpName = "PATH" };
    private readonly Option<string?> _word2vecArguments = new("--word2vec-args")
    {
        Description = $"Further options for the word2vec runs, e.g. \"--window 3 --subsample 0\" (not {string.Join(", ", Word2VecOptionsSetHere)}: those come from this program's options)",
        HelpName = "\"…\"",
    };

    /// <summary>Builds the command with every option and its checks.</summary>
    public CommandLine()
    {
        Command = new RootCommand("Count-based word vectors (PPMI + truncated SVD, GloVe) beside word2vec's negative sampling and NCE, "
            + "on the same corpus and vocabulary and scored by the same code, then one table and chart of them all. Exit codes: 0 done, "
            + "1 internal error, 2 bad input (options, corpus, evaluation file, log directory, word2vec's input), 3 a word2vec run diverged, "
            + "4 a --smoke test failed, 130 a word2vec run was interrupted.");
        foreach (var option in Symbols()) Command.Options.Add(option);
        Command.Options.Add(SampleProgram.Smoke);
        _word2vecArguments.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && SetHere(Split(result.Tokens[0].Value)) is { } option)
                result.AddError($"--word2vec-args cannot hold {option}: CountVectors sets it for each word2vec run (use its own option instead)");
        });
    }

    /// <summary>The root command, ready for <c>SampleProgram.Run</c>.</summary>
    public RootCommand Command { get; }

    /// <summary>The options of a parsed command line.</summary>
    /// <exception cref="ArgumentException">A combination of options that cannot work together.</exception>
    public Options Bind(ParseResult result)
    {
        var o = new Options
        {
            Methods = result.GetValue(_methods) ?? Defaults.Methods,
            Corpus = result.GetValue(_corpus),
            LogDir = result.GetValue(_logDir)!,
            Analogies = result.GetValue(_analogies),
            WordSim = result.GetValue(_wordSim),
            SimLex = result.GetValue(_simLex),
            Dim = result.GetValue(_dim),
            MinCount = result.GetValue(_minCount),
            Threads = result.GetValue(_threads),
            Seed = result.GetValue(_seed),
            PpmiWindow = result.GetValue(_ppmiWindow),
            Alpha = result.GetValue(_alpha),
            Shift = result.GetValue(_shift),
            EigenWeight = result.GetValue(_eig),
            PowerIterations = result.GetValue(_powerIterations),
            GloVeWindow = result.GetValue(_gloveWindow),
            GloVeEpochs = result.GetValue(_gloveEpochs),
            GloVeLearningRate = result.GetValue(_gloveRate),
            XMax = result.GetValue(_xMax),
            Batch = result.GetValue(_batch),
            Word2VecEpochs = result.GetValue(_word2vecEpochs),
            Word2VecProgram = result.GetValue(_word2vecProgram),
            Word2VecArguments = Split(result.GetValue(_word2vecArguments) ?? ""),
            Verbose = result.GetValue(SampleProgram.Verbose),
            Smoke = result.GetValue(SampleProgram.Smoke),
        };
        return o;
    }

    private IEnumerable<Option> Symbols() =>
    [
        _methods, _corpus, _logDir, _analogies, _wordSim, _simLex, _dim, _minCount, _threads, _seed, _ppmiWindow, _alpha, _shift, _eig,
        _powerIterations, _gloveWindow, _gloveEpochs, _gloveRate, _xMax, _batch, _word2vecEpochs, _word2vecProgram, _word2vecArguments,
    ];

    private static T Number<T>(T option, Func<double, bool> inRange, string needs) where T : Option =>
        Validate.Text(option, t => Validate.Number(t, inRange), needs);

    private static string[] Split(string arguments) => arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    // An option this program sets itself, also as --name=value or --name:value, which System.CommandLine accepts too.
    private static string? SetHere(IEnumerable<string> arguments) =>
        arguments.Select(a => a.Split('=', ':')[0]).FirstOrDefault(Word2VecOptionsSetHere.Contains);

    private static IReadOnlyList<Method> ParseMethods(string text, Action<string> error)
    {
        if (text == "all") return Options.AllMethods;
        var methods = new List<Method>();
        foreach (var name in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var named = Options.AllMethods.Where(m => Options.NameOf(m) == name).ToList();
            if (named.Count == 0)
            {
                error($"--method takes ppmi-svd, glove, sgns, nce or all (comma-separated), got '{name}'");
                return [];
            }
            if (!methods.Contains(named[0])) methods.Add(named[0]);
        }
        if (methods.Count == 0) error("--method needs at least one of ppmi-svd, glove, sgns, nce or all");
        return methods;
    }
}
