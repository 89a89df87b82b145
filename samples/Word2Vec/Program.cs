using System.Globalization;
using System.Text.Json;
using GraphCompiler.Runtime.Checkpoints;
using GraphCompiler.Runtime.Embeddings;
using GraphCompiler.Runtime.Summaries;
using GraphCompiler.Runtime.Text;
using GraphCompiler.Samples;
using Word2Vec;

// The lecture's worked example: skip-gram word embeddings with word2vec's negative sampling (or the
// lecture's NCE loss) on the shipped corpus, then the embedding projector files, nearest neighbours,
// analogy accuracy and word-similarity correlation.
//   dotnet run --project samples/Word2Vec -c Release [-- --help]
var commandLine = new CommandLine();
return SampleProgram.Run(commandLine.Command, args, commandLine.Bind, Train);

static int Train(Options options)
{
    // Everything a run needs is checked before any training: resume state, evaluation files, corpus.
    if (options.Distributed) return DistributedTraining.Run(options);
    string corpusPath = options.CorpusPath;
    if (!File.Exists(corpusPath) && !Directory.Exists(corpusPath)) throw new UserError("corpus", "does not exist", corpusPath);
    RunDirectories.CheckLogDir(options.LogDir);
    var resumed = options.Resume is { } named ? RunDirectories.FindResumable(options.LogDir, named) : default((string Run, string Checkpoint)?);
    var metadata = resumed is { } r ? Saver.ReadMetadata(r.Checkpoint) : null;
    bool exact = metadata is not null && !options.ResumeWeightsOnly;
    if (exact)
    {
        (options, var differences) = RunSettings.Merge(options, metadata!);
        if (differences.Count > 0)
            throw new UserError("cannot resume run", $"the settings differ from the run's: {string.Join(", ", differences)} (leave them off to take the run's, or add --resume-weights-only to start a new run from its weights)", resumed!.Value.Run);
    }
    var (analogies, wordsim) = EvaluationFiles.Resolve(options);

    // The first of two streaming passes (not timed): count the words under a cap on the distinct ones held, then
    // keep the vocabulary as gensim does (--min-count, --max-vocab). Out-of-vocabulary words are dropped from the
    // training stream as word2vec does; the in-vocabulary count is the learning-rate schedule's length.
    var corpus = Corpus.Open(corpusPath);
    var counter = new VocabularyCounter(Options.CountingEntries);
    var counting = System.Diagnostics.Stopwatch.StartNew();
    using (var reader = corpus.OpenReader(corpus.Whole)) counter.AddRange(reader);
    // Both models take the vocabulary as a hyperparameter: every word the min count keeps, unless --max-vocab cuts it.
    int maxVocab = options.MaxVocab;
    var vocabulary = counter.ToVocabulary(options.MinCount, maxVocab);
    long inVocabulary = vocabulary.TotalCount - vocabulary.Counts[Vocabulary.UnknownId];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"corpus: {Path.GetFileName(corpus.Path)}{(corpus.Files.Count > 1 ? $" ({corpus.Files.Count} files)" : "")}, {corpus.TextLength / 1e6:F1} MB, {counter.TotalTokens:N0} tokens counted in {counting.Elapsed.TotalSeconds:F1} s, vocabulary {vocabulary.Count:N0} words (min count {options.MinCount}{(maxVocab < int.MaxValue ? $", at most {maxVocab:N0}" : "")}), {inVocabulary:N0} in-vocabulary tokens"));
    if (counter.PruneThreshold > 0)
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"counting held at most {counter.MaxEntries:N0} distinct words: those seen up to {counter.PruneThreshold} times were dropped as it went"));
    CorpusSize.Check(corpusPath, counter.TotalTokens, vocabulary, inVocabulary, options);
    counter = null;
    if (exact && ResumeState.CorpusDifference(metadata!, corpus.Path, vocabulary, inVocabulary) is { } difference)
        throw new UserError("cannot resume run", difference + " (resume with the run's corpus, or add --resume-weights-only to start a new run from its weights)", resumed!.Value.Run);

    var model = SkipGram.Create(vocabulary.Count, options.Dim, options.Loss, options.Seed, options.Device);
    if (options.LectureInit)
    {
        // The lecture's tf.random_uniform([V, D], -1.0, 1.0).
        var rng = new Random(options.Seed);
        var table = model.EmbedMatrix.Data;
        for (int i = 0; i < table.Length; i++) table[i] = (float)(rng.NextDouble() * 2 - 1);
        (model.Model as GraphCompiler.Runtime.Devices.IDeviceResident)?.DeviceProgram?.CopyVariablesToDevice();
    }
    var saver = new Saver();
    if (resumed is { } from)
    {
        saver.Restore(model.Model, from.Checkpoint);
        Console.WriteLine(exact
            ? $"resumed run {from.Run} at step {model.Model.GlobalStep}"
            : $"started a new run from the weights of {from.Checkpoint}");
        if (!exact) model.Model.GlobalStep = 0;
    }
    if (options.Smoke) return SmokeCheck.Run(model, corpus, vocabulary, options);
    string run = exact ? resumed!.Value.Run : RunDirectories.CreateRun(options.LogDir);
    Directory.CreateDirectory(RunDirectories.Checkpoints(run));
    ResumeState.WriteVocabulary(run, vocabulary);
    using var writer = new SummaryWriter(run);
    if (!exact) GraphExport.Write(writer, model.Model);

    var training = new HogwildTraining(model, options, corpus, vocabulary, inVocabulary, writer);
    if (exact)
    {
        try { training.Restore(ResumeState.Shards(metadata!)); }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new UserError("checkpoint", $"its data position cannot be used: {e.Message}", resumed!.Value.Checkpoint, innerException: e);
        }
    }
    string? lastGood = exact ? resumed!.Value.Checkpoint : null;
    UserError Diverged(long step, string detail) => new(
        $"the loss diverged at step {step}{detail}; the last good checkpoint is {lastGood ?? "none (none was saved before it)"}", "", exitCode: ExitCodes.Diverged);
    void Checkpoint(long step)
    {
        writer.Flush();   // the summaries never lag behind a checkpoint, even after a kill -9
        var state = ResumeState.ToMetadata(options, corpus.Path, vocabulary, inVocabulary, training.Positions);
        // The saver refuses non-finite variables before writing or rotating anything; here that is divergence.
        try { lastGood = saver.Save(model.Model, Path.Combine(RunDirectories.Checkpoints(run), "word2vec"), step, state); }
        catch (CheckpointException e) when (e.Kind == CheckpointErrorKind.NonFinite)
        {
            throw Diverged(step, $" ('{e.TensorName}' holds NaN or infinite values)");
        }
    }

    Console.WriteLine($"training: {Options.LossName(options.Loss)}, dim {options.Dim}, window {options.Window}, batch {options.BatchSize}, {options.Epochs} epoch(s), {training.Threads} thread(s), learning rate {options.LearningRate.ToString(CultureInfo.InvariantCulture)}; run directory {run}");
    TrainingResult result;
    using (new TerminationRequest(training.Interrupt))
        result = training.Run(Checkpoint);
    if (result.Outcome == TrainingOutcome.Diverged)
    {
        writer.Flush();
        throw Diverged(result.GlobalStep, "");
    }
    if (result.Steps == 0 && !exact)
        throw StreamBatches.NoBatch(options, corpusPath);
    if (lastGood != SaverPath(run, result.GlobalStep)) Checkpoint(result.GlobalStep);
    double wordsPerSecond = result.WordsTrained / Math.Max(result.Seconds, 1e-9);
    writer.Scalar("words_per_second", (float)wordsPerSecond, result.GlobalStep);
    writer.Flush();

    var metrics = new Dictionary<string, object?>
    {
        ["words_per_second"] = wordsPerSecond,
        ["train_seconds"] = result.Seconds,
        ["input_wait_seconds"] = result.InputWaitSeconds,
        ["epochs"] = options.Epochs,
        ["vocab_size"] = vocabulary.Count,
        ["steps"] = result.Steps,
        ["global_step"] = result.GlobalStep,
        ["words_trained"] = result.WordsTrained,
        ["final_loss"] = result.FinalLoss,
        ["loss"] = Options.LossName(options.Loss),
        ["dim"] = options.Dim,
        ["window"] = options.Window,
        ["threads"] = training.Threads,
        ["interrupted"] = result.Outcome == TrainingOutcome.Interrupted,
    };
    string metricsPath = Path.Combine(run, "metrics.json");
    if (result.Outcome == TrainingOutcome.Interrupted)
    {
        WriteMetrics(metricsPath, metrics);
        Console.WriteLine($"interrupted at step {result.GlobalStep}: checkpoint {lastGood}; continue with --resume {run}");
        return ExitCodes.Interrupted;
    }

    // Evaluation on the rows the vocabulary uses (a small corpus leaves the rest untouched), read from the device if the model is on one.
    (model.Model as GraphCompiler.Runtime.Devices.IDeviceResident)?.DeviceProgram?.CopyVariablesToHost();
    var embeddings = new EmbeddingMatrix(model.EmbedMatrix.Data.AsSpan(0, vocabulary.Count * options.Dim).ToArray(), vocabulary.Count, options.Dim);
    ProjectorExport.Write(run, "embed/embed_matrix", embeddings, vocabulary.Words, vocabulary.Counts);
    // The visual check: PCA and t-SNE of the most frequent words, with search, in one offline HTML page.
    EmbeddingPage.Write(Path.Combine(run, EmbeddingPage.FileName), embeddings, vocabulary.Words, maxPoints: Math.Min(1000, vocabulary.Count));
    Console.WriteLine($"embedding page: {Path.Combine(run, EmbeddingPage.FileName)}");
    var vectors = new WordVectors(embeddings, vocabulary.Words);
    foreach (var word in Probes(vocabulary))
        Console.WriteLine($"  {word,-10} → {string.Join(", ", vectors.NearestNeighbours(word, 6).Select(n => n.Word))}");

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
        if (options.IsDefaultTraining && !(score.Spearman >= 0.2))
            Console.WriteLine("hint: word similarity below 0.2 means the embeddings learned little; the defaults reach about 0.26 on the shipped corpus. Check that the run was not cut short by --steps, or train more epochs.");
    }
    WriteMetrics(metricsPath, metrics);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{wordsPerSecond:N0} words/s over {result.Seconds:F1} s; run directory {run} (tensorboard --logdir {options.LogDir})"));
    return ExitCodes.Success;
}

static void WriteMetrics(string path, Dictionary<string, object?> metrics) =>
    File.WriteAllText(path, JsonSerializer.Serialize(metrics, new JsonSerializerOptions { WriteIndented = true }));

static string SaverPath(string run, long step) => Path.Combine(RunDirectories.Checkpoints(run), "word2vec") + "-" + step.ToString(CultureInfo.InvariantCulture);

// JSON has no NaN: a score over no covered questions is null.
static double? FiniteOrNull(double value) => double.IsFinite(value) ? value : null;

// A few frequent content words to show neighbours of (whichever the vocabulary has).
static IEnumerable<string> Probes(Vocabulary vocabulary)
{
    string[] preferred = ["king", "man", "day", "good", "ship", "sea", "house", "father"];
    var present = preferred.Where(w => vocabulary.TryGetId(w, out _)).Take(6).ToList();
    return present.Count > 0 ? present : vocabulary.Words.Skip(1).Take(5);
}
