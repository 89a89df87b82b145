using System.CommandLine;
using System.IO.Compression;
using CharRnn;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Checkpoints;
using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Summaries;
using GraphCompiler.Runtime.Training;
using GraphCompiler.Samples;

// A character-level language model (Keras's text-generation tutorial): Embedding → GRU or LSTM → Dense,
// trained on the public-domain prose the Word2Vec sample ships, then writing text one character at a time
// from a prompt with the stateful model, at temperatures 0.5, 1.0 and 1.5.
//   dotnet run --project samples/CharRnn -c Release [-- --cell gru|lstm --epochs 3 --chars 1000000 --length 400 --prompt "..." --resume --smoke]
var cell = new Option<string>("--cell") { Description = "The recurrent layer: gru or lstm", DefaultValueFactory = _ => "gru" };
cell.AcceptOnlyFromAmong("gru", "lstm");
var epochs = Validate.AtLeast(new Option<int>("--epochs") { Description = "Passes over the training text", DefaultValueFactory = _ => 2 }, 0);
var chars = Validate.AtLeast(new Option<int>("--chars") { Description = "Characters of the corpus to use (the last 5 % validate)", DefaultValueFactory = _ => 1_000_000 }, 20 * CharSizes.Steps);
var batchSize = Validate.AtLeast(new Option<int>("--batch") { Description = "Sequences per train step", DefaultValueFactory = _ => 64 }, 1);
var learningRate = new Option<float>("--learning-rate") { Description = "Adam's learning rate", DefaultValueFactory = _ => 0.003f };
var length = Validate.AtLeast(new Option<int>("--length") { Description = "Characters to generate at each temperature", DefaultValueFactory = _ => 300 }, 0);
var prompt = new Option<string>("--prompt") { Description = "The text generation starts from", DefaultValueFactory = _ => "It is a truth universally acknowledged" };
var logDir = new Option<string>("--logdir") { Description = "Checkpoints and TensorBoard summaries", DefaultValueFactory = _ => Path.Combine("runs", "charrnn") };
var resume = new Option<bool>("--resume") { Description = "Continue from the latest checkpoint in --logdir" };
var corpus = new Option<string>("--corpus") { Description = "A UTF-8 text file (plain or .gz); the shipped corpus by default" };
var root = new RootCommand("A character-level GRU/LSTM language model that writes text")
{
    cell, epochs, chars, batchSize, learningRate, length, prompt, logDir, resume, corpus, SampleProgram.Smoke,
};
return SampleProgram.Run(root, args, parsed =>
{
    var path = parsed.GetValue(corpus) ?? Path.Combine(AppContext.BaseDirectory, "data", "corpus.txt.gz");
    var text = ReadText(path, parsed.GetValue(chars));
    if (text.Length < 20 * CharSizes.Steps)
        throw new UserError("corpus too short", $"{text.Length} characters; at least {20 * CharSizes.Steps} are needed", path);
    var ids = Vocabulary.Encode(text);
    int split = ids.Length - Math.Max(ids.Length / 20, CharSizes.Steps + 1);
    var (train, validation) = (Windows(ids.AsSpan(0, split)), Windows(ids.AsSpan(split)));
    int batch = parsed.GetValue(batchSize);

    ICharModel model = parsed.GetValue(cell) == "lstm" ? new CharLstmModel(seed: 1) : new CharGruModel(seed: 1);
    string name = parsed.GetValue(cell)!;
    var directory = Path.Combine(parsed.GetValue(logDir)!, name);
    var checkpoints = new CheckpointCallback(model, Path.Combine(directory, "checkpoints"), "charrnn", interval: 200);
    if (parsed.GetValue(resume) && checkpoints.ResumeLatest() is { } step)
        Console.WriteLine($"resumed from {Path.GetFileName(Saver.LatestCheckpoint(checkpoints.Directory))} at step {step}");

    Console.WriteLine($"{name}: {train.Count:N0} training and {validation.Count:N0} validation sequences of {CharSizes.Steps} characters, " +
        $"batch {batch}, hidden {CharSizes.Hidden}, vocabulary {Vocabulary.Size}");
    var run = RunDirectory.Create(Path.Combine(directory, "logs"));
    using var writer = new SummaryWriter(run);
    GraphExport.Write(writer, model);
    model.SummarySink = writer;
    model.SummaryEvery = 20;
    var clock = System.Diagnostics.Stopwatch.StartNew();
    // --epochs 0 only writes (from a resumed checkpoint, or from the untrained model).
    var history = parsed.GetValue(epochs) == 0 && !parsed.GetValue(SampleProgram.Smoke) ? null : model.Fit(train.Batches(batch, shuffleSeed: (ulong)model.GlobalStep + 1), parsed.GetValue(epochs),
        validationData: validation.Batches(Math.Min(batch, validation.Count), shuffleSeed: null), callbacks: [checkpoints], learningRate: parsed.GetValue(learningRate),
        metrics: [Metrics.Perplexity()], smokeTest: parsed.GetValue(SampleProgram.Smoke));
    if (history?.SmokeTest is not null) return ExitCodes.Success;
    if (history is not null)
        Console.WriteLine($"trained to step {model.GlobalStep} in {clock.Elapsed.TotalSeconds:F0} s: train perplexity {history["perplexity"][^1]:F2}, " +
            $"validation perplexity {history["val_perplexity"][^1]:F2} (summaries: tensorboard --logdir {Path.Combine(directory, "logs")})");

    var seed = parsed.GetValue(prompt)!;
    foreach (var temperature in new[] { 0.5, 1.0, 1.5 })
    {
        Console.WriteLine();
        Console.WriteLine($"--- temperature {temperature:F1} ---");
        Console.WriteLine(Generation.Write(model, seed, parsed.GetValue(length), temperature, new Random(7)));
    }
    return ExitCodes.Success;
});

static string ReadText(string path, int limit)
{
    using var file = File.OpenRead(path);
    using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
    using var reader = new StreamReader(stream);
    var buffer = new char[limit];
    int read = reader.ReadBlock(buffer, 0, limit);
    return new string(buffer, 0, read);
}

static Sequences Windows(ReadOnlySpan<int> ids) => Sequences.From(ids, CharSizes.Steps);
