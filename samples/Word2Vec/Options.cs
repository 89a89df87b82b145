namespace Word2Vec;

/// <summary>
/// What a Word2Vec run does: the settings a checkpoint records (<see cref="RunSettings"/> compares
/// them on resume) and the ones that only steer this process (where, how long, how often).
/// <see cref="CommandLine"/> fills it; <see cref="Given"/> names the options that were typed, so a
/// resumed run can take the others from its checkpoint.
/// </summary>
public sealed record Options
{
    /// <summary>word2vec's starting learning rate per pair (its <c>-alpha</c> for skip-gram).</summary>
    public const float Word2VecAlpha = 0.025f;

    /// <summary>
    /// Pairs per draw of noise words by default: each pair still meets --negatives noise words, but a
    /// group of 16 reads and updates its noise rows once (measured: about 1.6× the words/s of a draw
    /// per pair on 2 threads, analogy accuracy and word similarity within run-to-run noise).
    /// </summary>
    public const int DefaultNegativeSharing = 16;

    /// <summary>The NCE learning rate on the batch-mean loss: the lecture's.</summary>
    public const float NceLearningRate = 1f;

    /// <summary>
    /// The most distinct words the counting pass holds (about 100 bytes each, so about 1 GB): past it the rarest are
    /// dropped as it goes (word2vec's ReduceVocab), so counting a corpus of any length fits in memory.
    /// </summary>
    public const int CountingEntries = 10_000_000;

    /// <summary>A file (plain or .gz) or a directory of them; null is the shipped corpus.</summary>
    public string? Corpus { get; init; }
    public int Epochs { get; init; } = 5;
    public int Threads { get; init; } = Environment.ProcessorCount;
    public string LogDir { get; init; } = "runs/word2vec";
    public string? Analogies { get; init; }
    public string? WordSim { get; init; }
    public int Dim { get; init; } = 300;
    public int Window { get; init; } = 5;
    public int Negatives { get; init; } = 5;
    public int NegativeSharing { get; init; } = DefaultNegativeSharing;
    public LossKind Loss { get; init; } = LossKind.NegativeSampling;
    public int Seed { get; init; } = 1;

    /// <summary>Where the model runs (<c>--device</c>): negative sampling and NCE run on a device (on one thread).</summary>
    public GraphCompiler.Runtime.Devices.Device Device { get; init; } = GraphCompiler.Runtime.Devices.Device.Cpu;
    public long? Steps { get; init; }
    public int MinCount { get; init; } = 5;

    /// <summary>
    /// gensim's max_final_vocab: the most words kept, ties at the cut all dropped (UNK not counted). Unlimited by
    /// default; the NCE model, whose sampler has a build-time number of classes, keeps at most that many less UNK.
    /// </summary>
    public int MaxVocab { get; init; } = int.MaxValue;
    public int BatchSize { get; init; } = 128;
    public float LearningRate { get; init; } = Word2VecAlpha * 128;
    public double Subsample { get; init; } = 1e-3;
    public bool LectureInit { get; init; }
    public long CheckpointEvery { get; init; } = 5000;

    /// <summary>Null: a fresh run. Empty: resume the latest run under <see cref="LogDir"/>. Otherwise the run directory to resume.</summary>
    public string? Resume { get; init; }

    /// <summary>Take only the weights of the resumed checkpoint and start a new run (schedule, data and step from the start).</summary>
    public bool ResumeWeightsOnly { get; init; }

    /// <summary><c>--smoke</c>: run the smoke test on the corpus's first batch instead of training.</summary>
    public bool Smoke { get; init; }

    /// <summary><c>--distributed</c>: data-parallel over MPI (<see cref="DistributedTraining"/>), started with <c>mpirun -np N</c>.</summary>
    public bool Distributed { get; init; }

    /// <summary>How the ranks combine their updates of the tables (measured faster: sparse; see the README).</summary>
    public SyncMode Sync { get; init; } = SyncMode.Sparse;

    /// <summary>Seconds a rank waits in one collective for the others before it exits with an error.</summary>
    public int CollectiveTimeout { get; init; } = 60;

    /// <summary>Check after every distributed step that the replicas are bit-identical.</summary>
    public bool CheckReplicas { get; init; }

    /// <summary>The corpus to read: <see cref="Corpus"/>, or the shipped one.</summary>
    public string CorpusPath => Corpus ?? Path.Combine(AppContext.BaseDirectory, "data", "corpus.txt.gz");

    /// <summary>The options named on the command line (e.g. <c>--window</c>), as opposed to left at their defaults.</summary>
    public IReadOnlySet<string> Given { get; init; } = new HashSet<string>();

    /// <summary>Whether every setting that shapes the result is the default (the README's main command).</summary>
    public bool IsDefaultTraining => !RunSettings.Names.Any(Given.Contains) && Corpus is null;

    /// <summary>The loss's name on the command line.</summary>
    public static string LossName(LossKind loss) => loss == LossKind.Nce ? "nce" : "negative-sampling";

    /// <summary>
    /// Fills the defaults that depend on other settings (the learning rate on the loss and batch, the noise
    /// groups on the batch) and checks the combinations; a bad one is an <see cref="ArgumentException"/>.
    /// </summary>
    public Options WithDerivedDefaults()
    {
        var o = this;
        if (Given.Contains("--share-negatives") && o.Loss != LossKind.NegativeSampling)
            throw new ArgumentException("--share-negatives applies to --loss negative-sampling (NCE already shares its 64 candidates across the batch)");
        // On the batch-mean loss a rate of 0.025·batch moves each pair as word2vec's 0.025 does (measured: 3.2 at
        // batch 128 beat 1.0 and 2.0 on both analogies and word similarity after 5 epochs on the shipped corpus).
        if (!Given.Contains("--learning-rate"))
            o = o with { LearningRate = o.Loss == LossKind.NegativeSampling ? Word2VecAlpha * o.BatchSize : NceLearningRate };
        // Left at the default, the groups fit any batch: the largest common divisor of the two.
        if (!Given.Contains("--share-negatives"))
            o = o with { NegativeSharing = (int)System.Numerics.BigInteger.GreatestCommonDivisor(o.BatchSize, DefaultNegativeSharing) };
        if (o.Loss == LossKind.NegativeSampling && o.BatchSize % o.NegativeSharing != 0)
            throw new ArgumentException($"--share-negatives {o.NegativeSharing} must divide --batch {o.BatchSize} (the batch is fed as groups of pairs sharing one draw)");
        if (ResumeWeightsOnly && Resume is null)
            throw new ArgumentException("--resume-weights-only goes with --resume [RUN_DIR]: it says what to take from the resumed checkpoint");
        return o;
    }
}
