using System.CommandLine;
using System.Globalization;
using GraphCompiler.Samples;

namespace Word2Vec;

/// <summary>The Word2Vec command line (System.CommandLine): its options, their checks and the binding to <see cref="Options"/>.</summary>
public sealed class CommandLine
{
    private static readonly Options Defaults = new();

    private readonly Option<string?> _corpus = new("--corpus") { Description = "Text to train on: a plain or .gz UTF-8 file, or a directory of them, streamed from disk (default: the shipped corpus)", HelpName = "PATH" };
    private readonly Option<int> _epochs = Validate.AtLeast(new("--epochs") { Description = "Passes over the corpus", DefaultValueFactory = _ => Defaults.Epochs, HelpName = "N" }, 1);
    private readonly Option<int> _threads = Validate.AtLeast(new("--threads") { Description = "Hogwild training threads (default: all cores)", DefaultValueFactory = _ => Defaults.Threads, HelpName = "N" }, 1);
    private readonly Option<string> _logDir = new("--logdir") { Description = "Where the timestamped run directories go (each with its summaries and checkpoints)", DefaultValueFactory = _ => Defaults.LogDir, HelpName = "DIR" };
    private readonly Option<string?> _analogies = new("--analogies") { Description = "Analogy questions file (default: ../shared/eval/questions-words.txt when present)", HelpName = "PATH" };
    private readonly Option<string?> _wordSim = new("--wordsim") { Description = "Word-similarity file (default: ../shared/eval/wordsim353.tsv when present)", HelpName = "PATH" };
    private readonly Option<int> _dim = Validate.AtLeast(new("--dim") { Description = "Embedding width (a hyperparameter of the compiled model: any positive size)", DefaultValueFactory = _ => Defaults.Dim, HelpName = "N" }, 1);
    private readonly Option<int> _window = Validate.AtLeast(new("--window") { Description = "Maximum skip-gram window", DefaultValueFactory = _ => Defaults.Window, HelpName = "N" }, 1);
    private readonly Option<int> _negatives = Validate.AtLeast(new("--negatives") { Description = "Noise words per pair for negative sampling (NCE samples 64 a step)", DefaultValueFactory = _ => Defaults.Negatives, HelpName = "N" }, 1);
    private readonly Option<int> _share = Validate.AtLeast(new("--share-negatives") { Description = "Pairs sharing one draw of noise words, dividing --batch (default 16 or the largest divisor of --batch below it; 1 is word2vec's own draw per pair)", HelpName = "G" }, 1);
    private readonly Option<string> _loss = new Option<string>("--loss") { Description = "negative-sampling (word2vec's), or nce (the lecture's)", DefaultValueFactory = _ => Options.LossName(Defaults.Loss), HelpName = "KIND" }
        .AcceptOnlyFromAmong("negative-sampling", "nce");
    private readonly Option<GraphCompiler.Runtime.Devices.Device> _device = DeviceOption.Create();
    private readonly Option<int> _seed = Validate.AtLeast(new("--seed") { Description = "Model and data seed", DefaultValueFactory = _ => Defaults.Seed, HelpName = "N" }, 0);
    private readonly Option<long?> _steps = new("--steps") { Description = "Stop at this global step (a resumed run counts from its checkpoint)", HelpName = "N" };
    private readonly Option<int> _minCount = Validate.AtLeast(new("--min-count") { Description = "Drop words rarer than this", DefaultValueFactory = _ => Defaults.MinCount, HelpName = "N" }, 1);
    private readonly Option<int?> _maxVocab = Validate.Text(new Option<int?>("--max-vocab") { Description = "Keep at most N words, dropping every word tied at the cut, as gensim's max_final_vocab (unlimited by default)", HelpName = "N" }, t => Validate.IntegerAtLeast(t, 1), "an integer ≥ 1");
    private readonly Option<int> _batch = Validate.AtLeast(new("--batch") { Description = "Pairs per step", DefaultValueFactory = _ => Defaults.BatchSize, HelpName = "N" }, 1);
    private readonly Option<float> _learningRate = new("--learning-rate") { Description = "Initial SGD rate on the batch-mean loss, decayed linearly (default: 0.025 × batch for negative sampling, word2vec's 0.025 per pair; 1.0 for NCE, the lecture's)", HelpName = "X" };
    private readonly Option<double> _subsample = new("--subsample") { Description = "word2vec's frequent-word subsampling threshold, 0 for none", DefaultValueFactory = _ => Defaults.Subsample, HelpName = "X" };
    private readonly Option<bool> _lectureInit = new("--lecture-init") { Description = "The lecture's uniform(-1, 1) embeddings instead of word2vec's ±0.5/dim" };
    private readonly Option<long> _checkpointEvery = new("--checkpoint-every") { Description = "Steps between checkpoints (summaries are flushed at each)", DefaultValueFactory = _ => Defaults.CheckpointEvery, HelpName = "N" };
    private readonly Option<string?> _resume = new("--resume") { Description = "Continue the latest run under --logdir, or RUN_DIR: its weights, data position, schedule and settings", HelpName = "RUN_DIR", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<bool> _distributed = new("--distributed") { Description = "Data-parallel training over MPI: start with mpirun -np N; each rank trains on its block of the corpus's shards" };
    private readonly Option<string> _sync = new Option<string>("--sync") { Description = "With --distributed: combine the ranks' updates as sparse rows (ids and rows gathered) or dense tables (all-reduced)", DefaultValueFactory = _ => Defaults.Sync.ToString().ToLowerInvariant(), HelpName = "MODE" }
        .AcceptOnlyFromAmong("sparse", "dense");
    private readonly Option<int> _collectiveTimeout = Validate.AtLeast(new("--collective-timeout") { Description = "With --distributed: seconds a rank waits in one collective for the others before it exits with an error", DefaultValueFactory = _ => Defaults.CollectiveTimeout, HelpName = "S" }, 1);
    private readonly Option<bool> _checkReplicas = new("--check-replicas") { Description = "With --distributed: check after every step that the replicas are bit-identical" };
    private readonly Option<bool> _resumeWeightsOnly = new("--resume-weights-only") { Description = "With --resume: take only the checkpoint's weights and start a new run (any corpus or settings)" };

    /// <summary>Builds the command with every option and its checks.</summary>
    public CommandLine()
    {
        Command = new RootCommand("Skip-gram word embeddings (word2vec) on a text corpus, with TensorBoard summaries, checkpoints, "
            + "embedding-projector files, nearest neighbours, analogy accuracy and word similarity. Exit codes: 0 done, 1 internal error, "
            + "2 bad input (options, corpus, evaluation file, checkpoint, log directory), 3 the loss diverged, 4 the --smoke test failed, 130 interrupted (checkpoint saved).");
        foreach (var option in Symbols()) Command.Options.Add(option);
        Command.Options.Add(_device);
        Command.Options.Add(SampleProgram.Smoke);
        Check(_learningRate, t => float.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out float x) && x > 0 && float.IsFinite(x), "a positive number");
        Check(_subsample, t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && x >= 0 && double.IsFinite(x), "a non-negative number");
        Check(_steps, t => Validate.IntegerAtLeast(t, 1), "an integer ≥ 1");
        Check(_checkpointEvery, t => Validate.IntegerAtLeast(t, 1), "an integer ≥ 1");
    }

    /// <summary>The root command, ready for <c>SampleProgram.Run</c>.</summary>
    public RootCommand Command { get; }

    /// <summary>The options of a parsed command line, derived defaults filled in.</summary>
    /// <exception cref="ArgumentException">A combination of options that cannot work together.</exception>
    public Options Bind(ParseResult result)
    {
        var given = Symbols().Where(o => result.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToHashSet();
        var o = new Options
        {
            Corpus = result.GetValue(_corpus),
            Epochs = result.GetValue(_epochs),
            // Hogwild replicas share the host's variables; a model on a device trains on one thread.
            Threads = result.GetValue(_device)!.UsesIlgpu ? 1 : result.GetValue(_threads),
            LogDir = result.GetValue(_logDir)!,
            Analogies = result.GetValue(_analogies),
            WordSim = result.GetValue(_wordSim),
            Dim = result.GetValue(_dim),
            Window = result.GetValue(_window),
            Negatives = result.GetValue(_negatives),
            NegativeSharing = result.GetValue(_share),
            Loss = result.GetValue(_loss) == "nce" ? LossKind.Nce : LossKind.NegativeSampling,
            Seed = result.GetValue(_seed),
            Device = result.GetValue(_device)!,
            Steps = result.GetValue(_steps),
            MinCount = result.GetValue(_minCount),
            MaxVocab = result.GetValue(_maxVocab) ?? Defaults.MaxVocab,
            BatchSize = result.GetValue(_batch),
            LearningRate = result.GetValue(_learningRate),
            Subsample = result.GetValue(_subsample),
            LectureInit = result.GetValue(_lectureInit),
            CheckpointEvery = result.GetValue(_checkpointEvery),
            Resume = given.Contains(_resume.Name) ? result.GetValue(_resume) ?? "" : null,
            ResumeWeightsOnly = result.GetValue(_resumeWeightsOnly),
            Smoke = result.GetValue(SampleProgram.Smoke),
            Distributed = result.GetValue(_distributed),
            Sync = result.GetValue(_sync) == "dense" ? SyncMode.Dense : SyncMode.Sparse,
            CollectiveTimeout = result.GetValue(_collectiveTimeout),
            CheckReplicas = result.GetValue(_checkReplicas),
            Given = given,
        };
        return o.WithDerivedDefaults();
    }

    private IEnumerable<Option> Symbols() =>
    [
        _corpus, _epochs, _threads, _logDir, _analogies, _wordSim, _dim, _window, _negatives, _share, _loss, _seed, _steps,
        _minCount, _maxVocab, _batch, _learningRate, _subsample, _lectureInit, _checkpointEvery, _resume, _resumeWeightsOnly,
        _distributed, _sync, _collectiveTimeout, _checkReplicas,
    ];

    private static T Check<T>(T option, Func<string, bool> valid, string needs) where T : Option => Validate.Text(option, valid, needs);
}
