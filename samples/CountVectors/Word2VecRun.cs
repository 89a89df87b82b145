using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GraphCompiler.Samples;

namespace CountVectors;

/// <summary>
/// The predict-based methods: the Word2Vec sample run as a program on the same corpus, vocabulary
/// settings, width, threads and seed, its vectors read back from its projector files so that every
/// method is scored by the same code. Its seconds are its own training time (vocabulary excluded); its
/// processor seconds are the whole program's as of its last line of output, an upper bound on its training's.
/// </summary>
public static class Word2VecRun
{
    /// <summary>Refuses a missing Word2Vec program before any method trains.</summary>
    public static void CheckProgram(Options options)
    {
        string program = ProgramPath(options);
        if (!File.Exists(program))
            throw new UserError("Word2Vec program", "does not exist (build samples/Word2Vec, or give --word2vec PATH)", program);
    }

    /// <summary>Runs word2vec with <paramref name="method"/>'s loss into <paramref name="logDir"/> and loads the result.</summary>
    /// <exception cref="UserError">The program fails; its exit code is kept where it means the same here (bad input, divergence, interruption).</exception>
    public static TrainedVectors Train(Method method, string corpus, string logDir, Options options)
    {
        double cpuSeconds = RunProgram(method, corpus, logDir, options, []);

        // The log directory is this method's own, made for this run: Word2Vec's one run directory in it is this run's.
        var runs = Directory.GetDirectories(logDir, "run-*");
        if (runs.Length != 1) throw new InvalidOperationException($"expected one word2vec run directory in {logDir}, found {runs.Length}");
        var run = runs[0];
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")));
        double seconds = metrics.RootElement.GetProperty("train_seconds").GetDouble();
        var (vectors, words, counts) = ReadProjector(run, options.Dim);
        return new TrainedVectors(method, seconds, cpuSeconds, vectors, options.Dim, words, counts, new Dictionary<string, object?>
        {
            ["epochs"] = options.Word2VecEpochs,
            // As the run reports it: the check that the loss asked for is the one trained.
            ["loss"] = metrics.RootElement.GetProperty("loss").GetString(),
            ["word2vec_run"] = Path.GetFullPath(run),
        });
    }

    /// <summary><c>--smoke</c>: runs word2vec's own smoke test with <paramref name="method"/>'s loss (it makes no run directory).</summary>
    /// <exception cref="UserError">The smoke test failed (exit code <see cref="ExitCodes.SmokeTestFailed"/>) or the program failed.</exception>
    public static void Smoke(Method method, string corpus, Options options) => RunProgram(method, corpus, options.LogDir, options, ["--smoke"]);

    // Runs the program with the comparison's settings and `extra`, passing its output on; returns its processor seconds.
    private static double RunProgram(Method method, string corpus, string logDir, Options options, IEnumerable<string> extra)
    {
        CheckProgram(options);
        // Every setting the comparison depends on is passed, none left to Word2Vec's defaults: those are that
        // sample's to change, and the comparison must not change with them. CommandLine keeps them out of --word2vec-args.
        var arguments = new List<string>
        {
            ProgramPath(options), "--corpus", corpus, "--logdir", logDir, "--loss", method == Method.Sgns ? "negative-sampling" : "nce",
            "--epochs", Invariant(options.Word2VecEpochs), "--threads", Invariant(options.Threads),
            "--dim", Invariant(options.Dim), "--min-count", Invariant(options.MinCount), "--seed", Invariant(options.Seed),
        };
        if (options.Verbose) arguments.Add("--verbose");
        arguments.AddRange(options.Word2VecArguments);
        arguments.AddRange(extra);
        var start = new ProcessStartInfo("dotnet", arguments) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var errors = process.StandardError.ReadToEndAsync();
        string? line;
        double cpuSeconds = 0;
        while ((line = process.StandardOutput.ReadLine()) is not null)
        {
            Console.WriteLine($"  {Options.NameOf(method)} | {line}");
            // The program's processor time so far (vocabulary, training, evaluation, embedding page): read at each
            // line, because an exited process no longer reports it; its last line comes just before it exits.
            try { cpuSeconds = process.TotalProcessorTime.TotalSeconds; }
            catch (InvalidOperationException) { }
        }
        process.WaitForExit();
        if (process.ExitCode != 0) throw Failed(method, process.ExitCode, errors.Result, options.Verbose);
        return cpuSeconds;
    }

    private static string ProgramPath(Options options) => options.Word2VecProgram ?? DefaultProgram();

    // Word2Vec.dll beside this program's own build: samples/<this>/bin/<config>/net10.0 → samples/Word2Vec/bin/<config>/net10.0.
    private static string DefaultProgram()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = output.Name, configuration = output.Parent!.Name;
        var samples = output.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(samples, "Word2Vec", "bin", configuration, framework, "Word2Vec.dll");
    }

    // Word2Vec's own one-line error becomes this program's, and its exit codes mean the same here; any other
    // code is an internal error, whose cause only the child's stack trace shows, so its output is passed on then.
    private static UserError Failed(Method method, int exitCode, string stderr, bool verbose)
    {
        int code = exitCode is ExitCodes.BadInput or ExitCodes.Diverged or ExitCodes.SmokeTestFailed or ExitCodes.Interrupted ? exitCode : ExitCodes.InternalError;
        if (verbose || code == ExitCodes.InternalError) Console.Error.Write(stderr);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string why = lines.FirstOrDefault(l => l.StartsWith("error: ", StringComparison.Ordinal))?["error: ".Length..] ?? lines.LastOrDefault() ?? "no error output";
        return new UserError($"word2vec run ({Options.NameOf(method)})", $"exited with {exitCode}: {why}", exitCode: code);
    }

    private static (float[] Vectors, string[] Words, long[] Counts) ReadProjector(string run, int dim)
    {
        var metadata = File.ReadAllLines(Path.Combine(run, "metadata.tsv")).Skip(1).Select(l => l.Split('\t')).ToArray();
        var rows = File.ReadAllLines(Path.Combine(run, "vectors.tsv"));
        var vectors = new float[rows.Length * dim];
        for (int i = 0; i < rows.Length; i++)
        {
            var cells = rows[i].Split('\t');
            for (int j = 0; j < dim; j++) vectors[i * dim + j] = float.Parse(cells[j], CultureInfo.InvariantCulture);
        }
        return (vectors, metadata.Select(m => m[0]).ToArray(), metadata.Select(m => long.Parse(m[1], CultureInfo.InvariantCulture)).ToArray());
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
