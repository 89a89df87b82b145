using System.CommandLine;
using GraphCompiler.Runtime.Bert;
using GraphCompiler.Runtime.Summaries;
using GraphCompiler.Runtime.Training;
using GraphCompiler.Samples;
using TinyBert;

// A tiny BERT (2 layers, 4 heads, hidden 128, 64 tokens) pre-trained on the shipped corpus with a masked LM and
// next-sentence prediction, then fine-tuned to tell which book a sentence comes from.
//   dotnet run --project samples/TinyBert -c Release [-- --steps 1000 --max-minutes 5 --logdir runs/tinybert] [--smoke]
var steps = Validate.AtLeast(new Option<int>("--steps") { Description = "Pre-training steps: the learning rate warms up over the first 10 % and decays linearly to 0 at the last", DefaultValueFactory = _ => TinyBertPretraining.PretrainingSteps }, 1);
var minutes = new Option<double>("--max-minutes") { Description = "Stop pre-training after this many minutes even before --steps (0: no limit)", DefaultValueFactory = _ => 5 };
var batch = Validate.AtLeast(new Option<int>("--batch") { Description = "Sentence pairs per pre-training step", DefaultValueFactory = _ => 32 }, 1);
var learningRate = new Option<float>("--learning-rate") { Description = "AdamW's peak learning rate in pre-training (after the warm-up)", DefaultValueFactory = _ => 1e-3f };
var logDir = new Option<string>("--logdir") { Description = "Run directory: vocab.txt, TensorBoard summaries, checkpoints", DefaultValueFactory = _ => Path.Combine("runs", "tinybert") };
var seed = new Option<ulong>("--seed") { Description = "Seed of the initial weights, the pairs, the masking and the fine-tuning data", DefaultValueFactory = _ => 1 };
var resume = new Option<bool>("--resume") { Description = "Continue pre-training from the latest checkpoint in --logdir (with --steps as the total)" };
var epochs = Validate.AtLeast(new Option<int>("--fine-tune-epochs") { Description = "Epochs of each fine-tuning run", DefaultValueFactory = _ => 2 }, 1);
var sentences = Validate.AtLeast(new Option<int>("--fine-tune-sentences") { Description = "Training sentences per book for fine-tuning", DefaultValueFactory = _ => 600 }, 1);
var root = new RootCommand("A tiny BERT pre-trained on Austen, Melville and the Bible, then fine-tuned to tell the books apart")
    { steps, minutes, batch, learningRate, logDir, seed, resume, epochs, sentences, SampleProgram.Smoke };

return SampleProgram.Run(root, args,
    parsed => new SampleOptions(parsed.GetValue(steps), Minutes(parsed.GetValue(minutes)), parsed.GetValue(batch), parsed.GetValue(learningRate), parsed.GetValue(logDir)!,
        parsed.GetValue(seed), parsed.GetValue(resume), parsed.GetValue(SampleProgram.Smoke), parsed.GetValue(epochs), parsed.GetValue(sentences)),
    options =>
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var corpus = BookCorpus.Load(Path.Combine(AppContext.BaseDirectory, "data", "corpus.txt.gz"));
        Directory.CreateDirectory(options.LogDir);
        var vocabulary = Tokenizer(corpus, Path.Combine(options.LogDir, "vocab.txt"));
        var train = SentencePairs.Build(BookCorpus.Documents(corpus.Training, vocabulary), TinyBertNetwork.Sequence, options.Seed);
        var heldOut = SentencePairs.Build(BookCorpus.Documents(corpus.HeldOut, vocabulary), TinyBertNetwork.Sequence, options.Seed + 1);
        Shuffle(train, options.Seed);
        Shuffle(heldOut, options.Seed + 1);
        Console.WriteLine($"{train.Count} training pairs, {heldOut.Count} held-out pairs ({clock.Elapsed.TotalSeconds:F1} s to read, tokenize and pair)");

        var model = new TinyBertPretraining(seed: options.Seed);
        if (options.Smoke)
        {
            var report = model.SmokeTest(GraphCompiler.Runtime.Data.Dataset.FromArray([PretrainingInputs.Create(train, 0, options.BatchSize, options.Seed, 0)]), options.LearningRate);
            report.Write(Console.Out);
            if (!report.Passed) throw new SmokeTestFailedException(report);
            return ExitCodes.Success;
        }

        using var summaries = new SummaryWriter(Path.Combine(options.LogDir, "pretrain"));
        var checkpoint = new Pretraining(model, train, heldOut, options).Run(summaries);
        FillIns.Print(model, vocabulary);
        FineTuning.Run(checkpoint, corpus, vocabulary, options);
        return ExitCodes.Success;
    });

static double Minutes(double value) =>
    value >= 0 && double.IsFinite(value) ? value : throw new ArgumentException($"--max-minutes needs a number ≥ 0, got {value}");

// The WordPiece vocabulary of the training documents, trained once and then read from the run directory.
static WordPieceVocabulary Tokenizer(BookCorpus corpus, string path)
{
    if (File.Exists(path))
    {
        var loaded = WordPieceVocabulary.Load(path);
        if (loaded.Count != TinyBertNetwork.Vocabulary)
            throw new UserError("vocabulary", $"it has {loaded.Count} tokens; the model is built for {TinyBertNetwork.Vocabulary} (delete it to train a new one)", path);
        return loaded;
    }
    var clock = System.Diagnostics.Stopwatch.StartNew();
    var vocabulary = WordPieceTrainer.Train(corpus.Training.SelectMany(book => book), TinyBertNetwork.Vocabulary);
    vocabulary.Save(path);
    Console.WriteLine($"trained a WordPiece vocabulary of {vocabulary.Count} tokens in {clock.Elapsed.TotalSeconds:F1} s: {path}");
    return vocabulary;
}

// Pairs in a seeded random order, so every batch mixes the books.
static void Shuffle(List<SentencePair> pairs, ulong seed)
{
    var random = new GraphCompiler.Runtime.Rng.PhiloxStream(seed, opSeed: 0x5A1F);
    for (int i = pairs.Count - 1; i > 0; i--)
    {
        int j = (int)((ulong)random.NextUInt32(i) * (ulong)(i + 1) >> 32);
        (pairs[i], pairs[j]) = (pairs[j], pairs[i]);
    }
}
