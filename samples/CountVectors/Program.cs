using System.Globalization;
using CountVectors;
using GraphCompiler.Runtime.Summaries;
using GraphCompiler.Runtime.Text;
using GraphCompiler.Samples;
using Word2Vec;

// Count-based word vectors beside word2vec, on the same corpus and vocabulary and scored by the same
// code: PPMI + truncated SVD, GloVe, and word2vec's two losses; then one table and chart of them all.
//   dotnet run --project samples/CountVectors -c Release [-- --help]
var commandLine = new CommandLine();
return SampleProgram.Run(commandLine.Command, args, commandLine.Bind, Compare);

static int Compare(Options options)
{
    // Every input is checked before any training, so a mistake is not found after minutes of it.
    string corpusPath = Path.GetFullPath(options.Corpus ?? Path.Combine(AppContext.BaseDirectory, "data", "corpus.txt.gz"));
    if (!File.Exists(corpusPath)) throw new UserError("corpus", "does not exist", corpusPath);
    var shared = SharedFolder.Find();
    var files = new RunOutputs.EvaluationFiles(
        options.Analogies ?? SharedFolder.File(shared, "eval", "questions-words.txt"),
        options.WordSim ?? SharedFolder.File(shared, "eval", "wordsim353.tsv"),
        options.SimLex ?? SharedFolder.File(shared, "eval", "simlex999.txt"));
    foreach (var (what, path) in new[] { ("analogy file", files.Analogies), ("word-similarity file", files.WordSim), ("SimLex file", files.SimLex) })
        if (path is not null && !File.Exists(path)) throw new UserError(what, "does not exist", path);
    if (File.Exists(options.LogDir)) throw new UserError("log directory", "is a regular file, not a directory (give --logdir a directory)", options.LogDir);
    if (options.Methods.Any(m => m is Method.Sgns or Method.Nce)) Word2VecRun.CheckProgram(options);

    // The vocabulary and token stream Word2Vec trains on: the same tokenizer, min count and size limit,
    // out-of-vocabulary words dropped from the stream. Not timed, for any method.
    var tokens = Corpus.Open(corpusPath).Tokens().ToList();
    var vocabulary = Vocabulary.Build(tokens, options.MinCount);
    var ids = vocabulary.Encode(tokens).Where(id => id != Vocabulary.UnknownId).ToArray();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"corpus: {Path.GetFileName(corpusPath)}, {tokens.Count:N0} tokens, vocabulary {vocabulary.Count:N0} words (min count {options.MinCount}), {ids.Length:N0} in-vocabulary tokens"));
    tokens = null;
    if (options.Smoke) return Smoke(options, corpusPath, ids, vocabulary);

    var run = RunDirectory.Create(options.LogDir);
    var rows = new List<ComparisonReport.Row>();
    foreach (var method in options.Methods)
    {
        string name = Options.NameOf(method);
        string directory = Path.Combine(run, name);
        Console.WriteLine($"— {name}");
        var trained = method switch
        {
            Method.PpmiSvd => CountMethods.PpmiSvd(ids, vocabulary, options),
            Method.GloVe => CountMethods.GloVe(ids, vocabulary, options),
            _ => Word2VecRun.Train(method, corpusPath, Path.Combine(directory, "word2vec"), options),
        };
        rows.Add(new ComparisonReport.Row(name, trained.Seconds, trained.CpuSeconds, RunOutputs.Write(directory, trained, files)));
    }

    string caption = string.Create(CultureInfo.InvariantCulture,
        $"{Path.GetFileName(corpusPath)}: {ids.Length:N0} tokens, {vocabulary.Count:N0} words, dim {options.Dim}, {options.Threads} thread(s)");
    string markdown = ComparisonReport.Markdown(rows, caption);
    File.WriteAllText(Path.Combine(run, "comparison.md"), markdown);
    File.WriteAllText(Path.Combine(run, "comparison.svg"), ComparisonReport.Svg(rows, caption));
    Console.WriteLine();
    Console.Write(markdown);
    Console.WriteLine($"run directory {run} (comparison.md, comparison.svg, one folder per method)");
    return ExitCodes.Success;
}

// --smoke: the smoke test of every method that trains a model, instead of the comparison (no run directory). A failure
// leaves at once with its exit code (SampleProgram maps GloVe's exception; word2vec's code is passed on).
static int Smoke(Options options, string corpusPath, int[] ids, Vocabulary vocabulary)
{
    foreach (var method in options.Methods)
    {
        Console.WriteLine($"— {Options.NameOf(method)}");
        switch (method)
        {
            case Method.PpmiSvd:
                Console.WriteLine("nothing to train: PPMI and the SVD are computed, not fitted (no smoke test)");
                break;
            case Method.GloVe:
                CountMethods.GloVeSmoke(ids, vocabulary, options);
                break;
            default:
                Word2VecRun.Smoke(method, corpusPath, options);
                break;
        }
    }
    return ExitCodes.Success;
}
