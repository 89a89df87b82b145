using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace CountVectors;

/// <summary>
/// The predict-based methods: the Word2Vec sample run as a program on the same corpus, vocabulary
/// settings, width, threads and seed, its vectors read back from its projector files so that every
/// method is scored by the same code. Its seconds are its own training time (vocabulary excluded); its
/// processor seconds are the whole program's as of its last line of output, an upper bound on its training's.
/// </summary>
public static class Word2VecRun
{
    /// <summary>Runs word2vec with <paramref name="method"/>'s loss into <paramref name="logDir"/> and loads the result.</summary>
    /// <exception cref="InvalidOperationException">The program is missing or fails.</exception>
    public static TrainedVectors Train(Method method, string corpus, string logDir, Options options)
    {
        string program = options.Word2VecProgram ?? DefaultProgram();
        if (!File.Exists(program))
            throw new InvalidOperationException($"the Word2Vec program '{program}' does not exist (build samples/Word2Vec, or give --word2vec PATH)");
        var arguments = new List<string>
        {
            program, "--corpus", corpus, "--logdir", logDir, "--epochs", Invariant(options.Word2VecEpochs), "--threads", Invariant(options.Threads),
            "--dim", Invariant(options.Dim), "--min-count", Invariant(options.MinCount), "--seed", Invariant(options.Seed),
        };
        if (method == Method.Sgns) arguments.AddRange(["--loss", "negative-sampling"]);
        arguments.AddRange(options.Word2VecArguments);
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
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"word2vec ({Options.NameOf(method)}) exited with {process.ExitCode}: {errors.Result}");

        var run = Directory.GetDirectories(logDir, "run-*").OrderBy(d => d, StringComparer.Ordinal).Last();
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")));
        double seconds = metrics.RootElement.GetProperty("train_seconds").GetDouble();
        var (vectors, words, counts) = ReadProjector(run, options.Dim);
        return new TrainedVectors(method, seconds, cpuSeconds, vectors, options.Dim, words, counts, new Dictionary<string, object?>
        {
            ["epochs"] = options.Word2VecEpochs,
            ["word2vec_run"] = Path.GetFullPath(run),
        });
    }

    // Word2Vec.dll beside this program's own build: samples/<this>/bin/<config>/net10.0 → samples/Word2Vec/bin/<config>/net10.0.
    private static string DefaultProgram()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = output.Name, configuration = output.Parent!.Name;
        var samples = output.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(samples, "Word2Vec", "bin", configuration, framework, "Word2Vec.dll");
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
