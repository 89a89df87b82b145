using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using GraphCompiler.Runtime.Checkpoints;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// The built Word2Vec program run in a temporary folder, with small synthetic corpora: what the
/// Word2Vec end-to-end tests share.
/// </summary>
internal sealed class Word2VecProgram : IDisposable
{
    public Word2VecProgram() => Directory.CreateDirectory(Folder);

    /// <summary>The temporary folder the program runs in (deleted on dispose).</summary>
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "w2v-test-" + Guid.NewGuid().ToString("N"));

    /// <summary>The log directory the tests pass as --logdir.</summary>
    public string LogDir => Path.Combine(Folder, "runs");

    public static string Dll => Path.Combine(TestRepository.Root, "samples", "Word2Vec", "bin", TestRepository.Configuration, "net10.0", "Word2Vec.dll");

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    /// <summary>Runs the program to its end: exit code and output (stdout then stderr).</summary>
    public (int Code, string Output) Run(string arguments) =>
        TestRepository.Run("dotnet", $"\"{Dll}\" {arguments}", Folder, TimeSpan.FromMinutes(3));

    /// <summary>Runs the program with only its stderr returned: what the one-line error tests read.</summary>
    public (int Code, string Error) RunForError(string arguments)
    {
        var (code, _, stderr) = TestRepository.RunSeparately("dotnet", $"\"{Dll}\" {arguments}", Folder, TimeSpan.FromMinutes(3));
        return (code, stderr);
    }

    /// <summary>Starts the program and returns at once (stdout and stderr redirected).</summary>
    public Process Start(string arguments) => Process.Start(TestRepository.StartInfo("dotnet", $"\"{Dll}\" {arguments}", Folder))!;

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public static void Interrupt(Process process)
    {
        const int SigInt = 2;
        Assert.Equal(0, Kill(process.Id, SigInt));
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>A file in the folder with these lines.</summary>
    public string File(string name, params string[] lines)
    {
        var path = Path.Combine(Folder, name);
        System.IO.File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>Two topics, each a bag of 8 words: a corpus of 40-word passages drawn from one topic at a time.</summary>
    public string PlantedCorpus(int passages, string name = "topics.txt", int seed = 3)
    {
        var rng = new Random(seed);
        var topics = new[] { Topic('x'), Topic('y') };
        return File(name, [.. Enumerable.Range(0, passages).Select(p => string.Join(' ', Enumerable.Range(0, 40).Select(_ => topics[p % 2][rng.Next(8)])))]);
    }

    /// <summary>The 8 words of a topic: xa … xh.</summary>
    public static string[] Topic(char letter) => [.. Enumerable.Range(0, 8).Select(i => $"{letter}{(char)('a' + i)}")];

    /// <summary>The run directories under the log directory, oldest first.</summary>
    public string[] Runs() => [.. Directory.GetDirectories(LogDir, "run-*").Order(StringComparer.Ordinal)];

    /// <summary>The only run directory.</summary>
    public string OnlyRun() => Assert.Single(Runs());

    /// <summary>The global step a finished or interrupted run ended at (its metrics.json).</summary>
    public static long GlobalStep(string run)
    {
        using var metrics = JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(run, "metrics.json")));
        return metrics.RootElement.GetProperty("global_step").GetInt64();
    }

    /// <summary>The latest checkpoint of a run.</summary>
    public static SafeTensorsFile Latest(string run) =>
        SafeTensorsFile.Read(Saver.DataFilePath(Saver.LatestCheckpoint(Path.Combine(run, "checkpoints"))!));

    /// <summary>The latest checkpoints of two runs hold the same variables, bit for bit.</summary>
    public static void AssertSameWeights(string expectedRun, string actualRun)
    {
        var expected = Latest(expectedRun);
        var actual = Latest(actualRun);
        Assert.Equal(expected.Tensors.Select(t => t.Name), actual.Tensors.Select(t => t.Name));
        foreach (var tensor in expected.Tensors)
        {
            Assert.True(actual.TryGet(tensor.Name, out var other));
            Assert.True(tensor.Data.AsSpan().SequenceEqual(other.Data), $"{tensor.Name} differs");
        }
    }

    /// <summary>The checkpoint files of a run, by name.</summary>
    public static string[] Checkpoints(string run) =>
        [.. Directory.GetFiles(Path.Combine(run, "checkpoints"), "*.safetensors").Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
}
