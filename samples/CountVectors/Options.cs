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

/// <summary>What a CountVectors run does; <see cref="CommandLine"/> fills it from the command line.</summary>
public sealed record Options
{
    /// <summary>Every method, in the order they are trained and reported.</summary>
    public static readonly IReadOnlyList<Method> AllMethods = [Method.PpmiSvd, Method.GloVe, Method.Sgns, Method.Nce];

    public IReadOnlyList<Method> Methods { get; init; } = AllMethods;
    public string? Corpus { get; init; }
    public string LogDir { get; init; } = "runs/countvectors";
    public string? Analogies { get; init; }
    public string? WordSim { get; init; }
    public string? SimLex { get; init; }
    public int Dim { get; init; } = 128;
    public int MinCount { get; init; } = 5;
    public int Threads { get; init; } = Environment.ProcessorCount;
    public int Seed { get; init; } = 1;
    public int PpmiWindow { get; init; } = 2;
    public double Alpha { get; init; } = 0.75;
    public double Shift { get; init; } = 1;
    public double EigenWeight { get; init; } = 0.5;
    public int PowerIterations { get; init; } = 2;
    public int GloVeWindow { get; init; } = 10;
    public int GloVeEpochs { get; init; } = GloVeSettings.DefaultEpochs;
    public float GloVeLearningRate { get; init; } = GloVeSettings.DefaultLearningRate;
    public double XMax { get; init; } = GloVeSettings.DefaultXMax;
    public int Batch { get; init; } = GloVeSettings.DefaultBatchSize;
    public int Word2VecEpochs { get; init; } = 5;
    public string? Word2VecProgram { get; init; }
    public IReadOnlyList<string> Word2VecArguments { get; init; } = [];

    /// <summary>Print the stack trace of a failure, and pass the word2vec runs' whole error output through.</summary>
    public bool Verbose { get; init; }

    /// <summary><c>--smoke</c>: run the smoke test of each method that trains a model (GloVe here, word2vec's through its program) instead of the comparison.</summary>
    public bool Smoke { get; init; }

    /// <summary>The name a method goes by on the command line, in file names and in the report.</summary>
    public static string NameOf(Method method) => method switch
    {
        Method.PpmiSvd => "ppmi-svd",
        Method.GloVe => "glove",
        Method.Sgns => "sgns",
        _ => "nce",
    };
}
