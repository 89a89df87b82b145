using System.Globalization;
using System.Text.Json;
using GraphCompiler.Runtime.Embeddings;
using GraphCompiler.Runtime.Summaries;
using GraphCompiler.Runtime.Text;
using GraphCompiler.Runtime.Training;
using Word2Vec;

// The lecture's worked example: skip-gram word embeddings with NCE loss (or word2vec's negative
// sampling) on the shipped corpus, then the embedding projector files, nearest neighbours, analogy
// accuracy and word-similarity correlation.
//   dotnet run --project samples/Word2Vec -c Release [-- --help]
Options options;
try
{
    options = Options.Parse(args);
}
catch (Options.HelpRequested)
{
    Console.WriteLine(Options.Usage);
    return 0;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(Options.Usage);
    return 2;
}

string corpusPath = options.Corpus ?? Path.Combine(AppContext.BaseDirectory, "data", "corpus.txt.gz");
if (!File.Exists(corpusPath))
{
    Console.Error.WriteLine($"error: corpus '{corpusPath}' does not exist");
    return 2;
}
var shared = SharedFolder.Find();
string? analogies = options.Analogies ?? SharedFolder.File(shared, "eval", "questions-words.txt");
string? wordsim = options.WordSim ?? SharedFolder.File(shared, "eval", "wordsim353.tsv");
foreach (var (flag, path) in new[] { ("--analogies", options.Analogies), ("--wordsim", options.WordSim) })
    if (path is not null && !File.Exists(path))
    {
        Console.Error.WriteLine($"error: {flag} file '{path}' does not exist");
        return 2;
    }

// Vocabulary (not timed): the most frequent words, UNK included; out-of-vocabulary words are dropped
// from the training stream as word2vec does.
var tokens = Corpus.Open(corpusPath).Tokens().ToList();
var vocabulary = Vocabulary.Build(tokens, options.MinCount, SkipGramGraph.VocabularySize);
var ids = vocabulary.Encode(tokens).Where(id => id != Vocabulary.UnknownId).ToArray();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"corpus: {Path.GetFileName(corpusPath)}, {tokens.Count:N0} tokens, vocabulary {vocabulary.Count:N0} words (min count {options.MinCount}), {ids.Length:N0} in-vocabulary tokens"));
tokens = null;

var model = SkipGram.Create(options.Dim, options.Loss, options.Seed);
if (options.LectureInit)
{
    // The lecture's tf.random_uniform([V, D], -1.0, 1.0).
    var rng = new Random(options.Seed);
    var table = model.EmbedMatrix.Data;
    for (int i = 0; i < table.Length; i++) table[i] = (float)(rng.NextDouble() * 2 - 1);
}

Directory.CreateDirectory(options.LogDir);
var checkpoints = new CheckpointCallback(model.Model, Path.Combine(options.LogDir, "checkpoints"), "word2vec", options.CheckpointEvery);
if (options.Resume)
    Console.WriteLine(checkpoints.ResumeLatest() is { } step ? $"resumed at step {step}" : "no checkpoint to resume from; starting afresh");
var run = RunDirectory.Create(options.LogDir);
using var writer = new SummaryWriter(run);
GraphExport.Write(writer, model.Model);

Console.WriteLine($"training: {options.Loss}, dim {options.Dim}, window {options.Window}, batch {options.BatchSize}, {options.Epochs} epoch(s), {options.Threads} thread(s), learning rate {options.LearningRate.ToString(CultureInfo.InvariantCulture)}");
var result = new HogwildTraining(model, options, vocabulary, writer, checkpoints).Run(ids);
checkpoints.OnInterrupt(model.Model.GlobalStep);   // saves the final state (unless just saved at this step)
double wordsPerSecond = result.WordsTrained / result.Seconds;
writer.Scalar("words_per_second", (float)wordsPerSecond, model.Model.GlobalStep);

// Evaluation on the rows the vocabulary uses (a small corpus leaves the rest untouched).
var embeddings = new EmbeddingMatrix(model.EmbedMatrix.Data.AsSpan(0, vocabulary.Count * options.Dim).ToArray(), vocabulary.Count, options.Dim);
ProjectorExport.Write(run, "embed/embed_matrix", embeddings, vocabulary.Words, vocabulary.Counts);
// The visual check: PCA and t-SNE of the most frequent words, with search, in one offline HTML page.
EmbeddingPage.Write(Path.Combine(run, EmbeddingPage.FileName), embeddings, vocabulary.Words, maxPoints: Math.Min(1000, vocabulary.Count));
Console.WriteLine($"embedding page: {Path.Combine(run, EmbeddingPage.FileName)}");
var vectors = new WordVectors(embeddings, vocabulary.Words);
foreach (var word in Probes(vocabulary))
    Console.WriteLine($"  {word,-10} → {string.Join(", ", vectors.NearestNeighbours(word, 6).Select(n => n.Word))}");

var metrics = new Dictionary<string, object?>
{
    ["words_per_second"] = wordsPerSecond,
    ["train_seconds"] = result.Seconds,
    ["epochs"] = options.Epochs,
    ["vocab_size"] = vocabulary.Count,
    ["steps"] = result.Steps,
    ["words_trained"] = result.WordsTrained,
    ["final_loss"] = result.FinalLoss,
    ["loss"] = options.Loss == LossKind.Nce ? "nce" : "negative-sampling",
    ["dim"] = options.Dim,
    ["window"] = options.Window,
    ["threads"] = options.Threads,
};
if (analogies is not null)
{
    var report = Evaluation.Analogies(vectors, analogies);
    metrics["analogy_accuracy"] = FiniteOrNull(report.Total.Accuracy);
    metrics["analogy_questions"] = report.Total.Answered;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"analogies: {report.Total.Accuracy:P2} of {report.Total.Answered:N0} covered questions ({report.Total.Coverage:P1} of {report.Total.Questions:N0}); semantic {report.Semantic.Accuracy:P2}, syntactic {report.Syntactic.Accuracy:P2}"));
}
if (wordsim is not null)
{
    var score = Evaluation.WordSimilarity(vectors, wordsim);
    metrics["wordsim_spearman"] = FiniteOrNull(score.Spearman);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"word similarity: Spearman {score.Spearman:F3} over {score.Answered} of {score.Pairs} pairs"));
}
File.WriteAllText(Path.Combine(run, "metrics.json"), JsonSerializer.Serialize(metrics, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{wordsPerSecond:N0} words/s over {result.Seconds:F1} s; run directory {run} (tensorboard --logdir {options.LogDir})"));
return 0;

// JSON has no NaN: a score over no covered questions is null.
static double? FiniteOrNull(double value) => double.IsFinite(value) ? value : null;

// A few frequent content words to show neighbours of (whichever the vocabulary has).
static IEnumerable<string> Probes(Vocabulary vocabulary)
{
    string[] preferred = ["king", "man", "day", "good", "ship", "sea", "house", "father"];
    var present = preferred.Where(w => vocabulary.TryGetId(w, out _)).Take(6).ToList();
    return present.Count > 0 ? present : vocabulary.Words.Skip(1).Take(5);
}
