using System.Globalization;

namespace Word2Vec;

/// <summary>The command line of the Word2Vec sample; defaults finish in a few minutes on 2 cores.</summary>
public sealed class Options
{
    public string? Corpus { get; private set; }
    public int Epochs { get; private set; } = 1;
    public int Threads { get; private set; } = Environment.ProcessorCount;
    public string LogDir { get; private set; } = "runs/word2vec";
    public string? Analogies { get; private set; }
    public string? WordSim { get; private set; }
    public int Dim { get; private set; } = 128;
    public int Window { get; private set; } = 5;
    public int Negatives { get; private set; } = 5;
    public int NegativeSharing { get; private set; } = DefaultNegativeSharing;
    public LossKind Loss { get; private set; } = LossKind.Nce;
    public int Seed { get; private set; } = 1;
    public long? Steps { get; private set; }
    public int MinCount { get; private set; } = 5;
    public int BatchSize { get; private set; } = 128;
    public float LearningRate { get; private set; } = 1f;

    /// <summary>word2vec's starting learning rate per pair (its <c>-alpha</c> for skip-gram).</summary>
    public const float Word2VecAlpha = 0.025f;
    public double Subsample { get; private set; } = 1e-3;
    public bool LectureInit { get; private set; }
    public bool Resume { get; private set; }
    public long CheckpointEvery { get; private set; } = 5000;

    /// <summary>
    /// Pairs per draw of noise words by default: each pair still meets --negatives noise words, but a
    /// group of 16 reads and updates its noise rows once (measured: about 1.6× the words/s of a draw
    /// per pair on 2 threads, analogy accuracy and word similarity within run-to-run noise).
    /// </summary>
    public const int DefaultNegativeSharing = 16;

    public const string Usage = """
        usage: Word2Vec [options]
          --corpus PATH        text to train on (plain or .gz; default: the shipped corpus)
          --epochs N           passes over the corpus (default 1)
          --threads N          Hogwild training threads (default: all cores)
          --logdir DIR         where timestamped run directories and checkpoints go (default runs/word2vec)
          --analogies PATH     questions-words file (default: ../shared/eval/questions-words.txt when present)
          --wordsim PATH       word-similarity file (default: ../shared/eval/wordsim353 file when present)
          --dim N              embedding width: 64, 128 or 200 (default 128)
          --window N           maximum skip-gram window (default 5)
          --negatives N        noise words per pair for --loss negative-sampling (default 5; NCE samples 64 a step)
          --share-negatives G  pairs that share one draw of noise words, dividing --batch (default 16; 1 is word2vec's own draw per pair)
          --loss KIND          nce (default) or negative-sampling
          --seed N             model and data seed (default 1)
          --steps N            stop after this global step
          --min-count N        drop words rarer than this (default 5)
          --batch N            pairs per step (default 128)
          --learning-rate X    initial SGD rate on the batch-mean loss, decayed linearly (default: 1.0 for NCE, the
                               lecture's; 0.025 × batch for negative sampling, word2vec's 0.025 per pair)
          --subsample X        word2vec's frequent-word subsampling threshold, 0 for none (default 1e-3)
          --lecture-init       the lecture's uniform(-1, 1) embeddings instead of word2vec's ±0.5/dim
          --checkpoint-every N steps between checkpoints (default 5000)
          --resume             continue from the latest checkpoint under --logdir
        """;

    public static Options Parse(string[] args)
    {
        var o = new Options();
        var given = new HashSet<string>();   // options named on the command line (not values that look like them)
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            given.Add(name);
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            int Int(int min) => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min
                ? v : throw new ArgumentException($"{name} needs an integer ≥ {min}, got '{args[i]}'");
            double Real() => double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0
                ? v : throw new ArgumentException($"{name} needs a non-negative number, got '{args[i]}'");
            switch (name)
            {
                case "--corpus": o.Corpus = Value(); break;
                case "--epochs": o.Epochs = Int(1); break;
                case "--threads": o.Threads = Int(1); break;
                case "--logdir": o.LogDir = Value(); break;
                case "--analogies": o.Analogies = Value(); break;
                case "--wordsim": o.WordSim = Value(); break;
                case "--dim": o.Dim = Int(1); break;
                case "--window": o.Window = Int(1); break;
                case "--negatives": o.Negatives = Int(1); break;
                case "--share-negatives": o.NegativeSharing = Int(1); break;
                case "--loss":
                    o.Loss = Value() switch
                    {
                        "nce" => LossKind.Nce,
                        "negative-sampling" => LossKind.NegativeSampling,
                        var other => throw new ArgumentException($"--loss must be nce or negative-sampling, got '{other}'"),
                    };
                    break;
                case "--seed": o.Seed = Int(0); break;
                case "--steps": o.Steps = Int(1); break;
                case "--min-count": o.MinCount = Int(1); break;
                case "--batch": o.BatchSize = Int(1); break;
                case "--learning-rate": o.LearningRate = (float)Real(); break;
                case "--subsample": o.Subsample = Real(); break;
                case "--lecture-init": o.LectureInit = true; break;
                case "--checkpoint-every": o.CheckpointEvery = Int(1); break;
                case "--resume": o.Resume = true; break;
                case "--help" or "-h": throw new HelpRequested();
                default: throw new ArgumentException($"unknown option '{name}'");
            }
        }
        if (given.Contains("--share-negatives") && o.Loss != LossKind.NegativeSampling)
            throw new ArgumentException("--share-negatives applies to --loss negative-sampling (NCE already shares its 64 candidates across the batch)");
        // On the batch-mean loss a rate of 0.025·batch moves each pair as word2vec's 0.025 does (measured: 3.2 at
        // batch 128 beat 1.0 and 2.0 on both analogies and word similarity after 5 epochs on the shipped corpus).
        if (!given.Contains("--learning-rate") && o.Loss == LossKind.NegativeSampling) o.LearningRate = Word2VecAlpha * o.BatchSize;
        // Left at the default, the groups fit any batch: the largest common divisor of the two.
        if (!given.Contains("--share-negatives")) o.NegativeSharing = (int)System.Numerics.BigInteger.GreatestCommonDivisor(o.BatchSize, DefaultNegativeSharing);
        if (o.Loss == LossKind.NegativeSampling && o.BatchSize % o.NegativeSharing != 0)
            throw new ArgumentException($"--share-negatives {o.NegativeSharing} must divide --batch {o.BatchSize} (the batch is fed as groups of pairs sharing one draw)");
        if (!SkipGram.Dimensions.Contains(o.Dim))
            throw new ArgumentException($"--dim {o.Dim} has no compiled model (the width is a compile-time constant of the graph); choose one of {string.Join(", ", SkipGram.Dimensions)}");
        return o;
    }

    /// <summary>Thrown by <c>--help</c>.</summary>
    public sealed class HelpRequested : Exception;
}
