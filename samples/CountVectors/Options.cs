using System.Globalization;

namespace CountVectors;

/// <summary>The methods the sample trains: two count-based ones here, two predict-based ones through the Word2Vec program.</summary>
public enum Method
{
    /// <summary>PPMI with context smoothing, reduced by a randomized truncated SVD.</summary>
    PpmiSvd,

    /// <summary>GloVe's weighted least squares on log counts, Adagrad.</summary>
    GloVe,

    /// <summary>word2vec skip-gram with negative sampling (the Word2Vec sample).</summary>
    Sgns,

    /// <summary>word2vec skip-gram with NCE, the lecture's loss (the Word2Vec sample).</summary>
    Nce,
}

/// <summary>The command line of the CountVectors sample.</summary>
public sealed class Options
{
    public IReadOnlyList<Method> Methods { get; private set; } = [Method.PpmiSvd, Method.GloVe, Method.Sgns, Method.Nce];
    public string? Corpus { get; private set; }
    public string LogDir { get; private set; } = "runs/countvectors";
    public string? Analogies { get; private set; }
    public string? WordSim { get; private set; }
    public string? SimLex { get; private set; }
    public int Dim { get; private set; } = 128;
    public int MinCount { get; private set; } = 5;
    public int Threads { get; private set; } = Environment.ProcessorCount;
    public int Seed { get; private set; } = 1;
    public int PpmiWindow { get; private set; } = 2;
    public double Alpha { get; private set; } = 0.75;
    public double Shift { get; private set; } = 1;
    public double EigenWeight { get; private set; } = 0.5;
    public int PowerIterations { get; private set; } = 2;
    public int GloVeWindow { get; private set; } = 10;
    public int GloVeEpochs { get; private set; } = 10;
    public float GloVeLearningRate { get; private set; } = 0.05f;
    public double XMax { get; private set; } = 100;
    public int Batch { get; private set; } = 512;
    public int Word2VecEpochs { get; private set; } = 5;
    public string? Word2VecProgram { get; private set; }
    public IReadOnlyList<string> Word2VecArguments { get; private set; } = [];

    public const string Usage = """
        usage: CountVectors [options]
          --method M[,M…]        ppmi-svd, glove, sgns, nce, or all (default all): the methods to train and compare
          --corpus PATH          text to train on (plain or .gz; default: the shipped corpus)
          --logdir DIR           where the timestamped run directory goes (default runs/countvectors)
          --analogies PATH       questions-words file (default: ../shared/eval/questions-words.txt when present)
          --wordsim PATH         WordSim-353 file (default: ../shared/eval/wordsim353.tsv when present)
          --simlex PATH          SimLex-999 file (default: ../shared/eval/simlex999.txt when present)
          --dim N                vector width (default 128; GloVe has 64 and 128)
          --min-count N          drop words rarer than this, as Word2Vec does (default 5)
          --threads N            threads for counting, SVD products, GloVe and word2vec (default: all cores)
          --seed N               seed of every method (default 1)
          --ppmi-window N        PPMI's flat symmetric window (default 2)
          --alpha X              context-distribution smoothing exponent (default 0.75)
          --shift K              PMI shifted by log K (default 1: no shift)
          --eig P                eigenvalue weighting of the SVD vectors U·Σ^P: 0, 0.5 or 1 (default 0.5)
          --power-iterations N   power iterations of the randomized SVD (default 2)
          --glove-window N       GloVe's 1/distance-weighted window (default 10)
          --glove-epochs N       passes over the nonzero entries (default 10)
          --glove-rate X         Adagrad's learning rate (default 0.05, GloVe's)
          --x-max X              GloVe's weighting cutoff (default 100)
          --batch N              entries per GloVe step (default 512)
          --word2vec-epochs N    epochs of the sgns and nce runs (default 5)
          --word2vec PATH        the Word2Vec program (Word2Vec.dll; default: the one built beside this repository's samples)
          --word2vec-args "…"    further options for the word2vec runs, e.g. "--window 3 --subsample 0"
        """;

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            int Int(int min) => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min
                ? v : throw new ArgumentException($"{name} needs an integer ≥ {min}, got '{args[i]}'");
            double Real(double min) => double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min
                ? v : throw new ArgumentException($"{name} needs a number ≥ {min.ToString(CultureInfo.InvariantCulture)}, got '{args[i]}'");
            switch (name)
            {
                case "--method": o.Methods = ParseMethods(Value()); break;
                case "--corpus": o.Corpus = Value(); break;
                case "--logdir": o.LogDir = Value(); break;
                case "--analogies": o.Analogies = Value(); break;
                case "--wordsim": o.WordSim = Value(); break;
                case "--simlex": o.SimLex = Value(); break;
                case "--dim": o.Dim = Int(1); break;
                case "--min-count": o.MinCount = Int(1); break;
                case "--threads": o.Threads = Int(1); break;
                case "--seed": o.Seed = Int(0); break;
                case "--ppmi-window": o.PpmiWindow = Int(1); break;
                case "--alpha": o.Alpha = Real(double.Epsilon); break;
                case "--shift": o.Shift = Real(1); break;
                case "--eig": o.EigenWeight = Real(0); break;
                case "--power-iterations": o.PowerIterations = Int(0); break;
                case "--glove-window": o.GloVeWindow = Int(1); break;
                case "--glove-epochs": o.GloVeEpochs = Int(1); break;
                case "--glove-rate": o.GloVeLearningRate = (float)Real(double.Epsilon); break;
                case "--x-max": o.XMax = Real(double.Epsilon); break;
                case "--batch": o.Batch = Int(1); break;
                case "--word2vec-epochs": o.Word2VecEpochs = Int(1); break;
                case "--word2vec": o.Word2VecProgram = Value(); break;
                case "--word2vec-args": o.Word2VecArguments = Value().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries); break;
                case "--help" or "-h": throw new HelpRequested();
                default: throw new ArgumentException($"unknown option '{name}'");
            }
        }
        if (o.Alpha > 1) throw new ArgumentException($"--alpha must lie in (0, 1], got {o.Alpha.ToString(CultureInfo.InvariantCulture)}");
        if (o.Methods.Contains(Method.GloVe) && !GloVe.Dimensions.Contains(o.Dim))
            throw new ArgumentException($"--dim {o.Dim} has no compiled GloVe model; choose one of {string.Join(", ", GloVe.Dimensions)} or leave glove out of --method");
        return o;
    }

    private static Method[] ParseMethods(string text)
    {
        if (text == "all") return [Method.PpmiSvd, Method.GloVe, Method.Sgns, Method.Nce];
        return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(m => m switch
        {
            "ppmi-svd" => Method.PpmiSvd,
            "glove" => Method.GloVe,
            "sgns" => Method.Sgns,
            "nce" => Method.Nce,
            _ => throw new ArgumentException($"--method takes ppmi-svd, glove, sgns, nce or all (comma-separated), got '{m}'"),
        }).Distinct().ToArray();
    }

    /// <summary>The name a method goes by on the command line, in file names and in the report.</summary>
    public static string NameOf(Method method) => method switch
    {
        Method.PpmiSvd => "ppmi-svd",
        Method.GloVe => "glove",
        Method.Sgns => "sgns",
        _ => "nce",
    };

    /// <summary>Thrown by <c>--help</c>.</summary>
    public sealed class HelpRequested : Exception;
}
