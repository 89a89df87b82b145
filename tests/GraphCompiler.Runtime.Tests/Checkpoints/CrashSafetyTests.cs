using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using GraphCompiler.Runtime.Checkpoints;
using Xunit.Abstractions;

namespace GraphCompiler.Runtime.Tests.Checkpoints;

/// <summary>
/// Kills a real process that saves checkpoints in a loop, at random moments, and checks that the
/// checkpoint the state file names always loads and holds exactly one complete save.
/// </summary>
public sealed class CrashSafetyTests : IDisposable
{
    private const int ElementsPerVariable = 3_000_000; // ~15 MB a save, so kills land mid-write
    private const int MaxToKeep = 2;
    private const int Kills = 6;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1); // only a guard against a hung child

    private readonly TempDirectory _dir = new();
    private readonly ITestOutputHelper _output;

    public CrashSafetyTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Killing_the_saver_at_random_moments_never_breaks_the_latest_checkpoint()
    {
        int seed = Environment.TickCount;
        var random = new Random(seed);
        _output.WriteLine($"random seed {seed}");
        long lastCompleted = 0;
        long saveMilliseconds = 1;
        int killsThatLeftATemporaryFile = 0;

        for (int kill = 0; kill < Kills; kill++)
        {
            using var child = ChildProcess.Start(_dir.Path, ElementsPerVariable, MaxToKeep);
            var resumed = child.WaitFor("resumed");
            Assert.Equal(lastCompleted, long.Parse(resumed.Split(' ')[1], CultureInfo.InvariantCulture));

            // The first run must complete a save so that there is a latest checkpoint to protect.
            if (kill == 0)
                saveMilliseconds = Math.Max(1, long.Parse(child.WaitFor("saved").Split(' ')[2], CultureInfo.InvariantCulture));
            child.WaitFor("begin");
            Thread.Sleep(random.Next(0, (int)Math.Min(2000, saveMilliseconds * 3 / 2) + 1));
            child.Kill();

            long begun = child.Lines.Where(l => l.StartsWith("begin ", StringComparison.Ordinal)).Select(StepOf).DefaultIfEmpty(0).Max();
            long completed = child.Lines.Where(l => l.StartsWith("saved ", StringComparison.Ordinal)).Select(StepOf).DefaultIfEmpty(lastCompleted).Max();
            foreach (var line in child.Lines.Where(l => l.StartsWith("saved ", StringComparison.Ordinal)))
                saveMilliseconds = Math.Max(1, long.Parse(line.Split(' ')[2], CultureInfo.InvariantCulture));
            if (Directory.GetFiles(_dir.Path, "*" + AtomicFile.TemporarySuffix).Length > 0) killsThatLeftATemporaryFile++;

            var latest = Saver.LatestCheckpoint(_dir.Path);
            Assert.NotNull(latest);
            var model = RestoreAndCheck(latest);
            // Every save the child reported complete is durable; nothing newer than the last begun one exists.
            Assert.InRange(model.GlobalStep, completed, Math.Max(begun, completed));
            foreach (var kept in CheckpointState.Read(_dir.Path)!.AllModelCheckpointPaths)
                RestoreAndCheck(Path.Combine(_dir.Path, kept));
            _output.WriteLine($"kill {kill}: latest step {model.GlobalStep}, last begun {begun}, last completed {completed}");
            lastCompleted = model.GlobalStep;
        }
        _output.WriteLine($"{killsThatLeftATemporaryFile} of {Kills} kills interrupted a write (a temporary file was left)");

        var file = Saver.DataFilePath(Saver.LatestCheckpoint(_dir.Path)!);
        CheckTruncatedAndFlippedCopiesAreRefused(file);
    }

    private void CheckTruncatedAndFlippedCopiesAreRefused(string file)
    {
        var bytes = File.ReadAllBytes(file);

        var truncated = _dir.File("truncated.safetensors");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length - 1000)]);
        var e = Assert.Throws<CheckpointException>(() => new Saver().Restore(NewModel(), truncated));
        Assert.Contains("truncated.safetensors", e.Message);
        Assert.Contains("truncated", e.Message[(e.Message.IndexOf(".safetensors", StringComparison.Ordinal) + 12)..]);

        var flipped = _dir.File("flipped.safetensors");
        var copy = (byte[])bytes.Clone();
        copy[8 + 1] ^= 0x22; // inside the JSON header: the first key's opening quote becomes a NUL
        File.WriteAllBytes(flipped, copy);
        e = Assert.Throws<CheckpointException>(() => new Saver().Restore(NewModel(), flipped));
        Assert.Contains("flipped.safetensors", e.Message);
        Assert.Contains("not valid JSON", e.Message);

        var flippedLength = _dir.File("flipped-length.safetensors");
        copy = (byte[])bytes.Clone();
        copy[5] ^= 0x40; // the header length field
        File.WriteAllBytes(flippedLength, copy);
        e = Assert.Throws<CheckpointException>(() => new Saver().Restore(NewModel(), flippedLength));
        Assert.Contains("header length field", e.Message);
    }

    private static long StepOf(string line) => long.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);

    private static TestModel NewModel()
    {
        var model = new TestModel();
        model.Add<float>("crash/weights", ElementsPerVariable);
        model.Add<float>("crash/biases", ElementsPerVariable / 4 + 1);
        model.Add<long>("crash/ids", 3);
        return model;
    }

    /// <summary>Restores a checkpoint and checks it holds exactly the values the child wrote for its step.</summary>
    private static TestModel RestoreAndCheck(string checkpoint)
    {
        var model = NewModel();
        new Saver().Restore(model, checkpoint);
        long step = model.GlobalStep;
        Assert.True(step > 0, $"{checkpoint} holds step {step}");
        var weights = ((Variable<float>)model.Variables["crash/weights"]).Data;
        var biases = ((Variable<float>)model.Variables["crash/biases"]).Data;
        var ids = ((Variable<long>)model.Variables["crash/ids"]).Data;
        for (int i = 0; i < weights.Length; i++)
            if (weights[i] != step + (i % 977) * 0.5f) Assert.Fail($"{checkpoint}: crash/weights[{i}] = {weights[i]} is not from step {step}");
        for (int i = 0; i < biases.Length; i++)
            if (biases[i] != -step - (i % 613)) Assert.Fail($"{checkpoint}: crash/biases[{i}] = {biases[i]} is not from step {step}");
        Assert.Equal([step, step * 2, step * 3], ids);
        return model;
    }

    /// <summary>The child program, run with the same dotnet host, its stdout collected line by line.</summary>
    private sealed class ChildProcess : IDisposable
    {
        private readonly Process _process;
        private readonly BlockingCollection<string?> _pending = new();
        private readonly ConcurrentQueue<string> _stderr = new();

        private ChildProcess(Process process) => _process = process;

        public List<string> Lines { get; } = new();

        public static ChildProcess Start(string directory, int elements, int maxToKeep)
        {
            var info = new ProcessStartInfo(DotnetHost())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add(ChildDll());
            info.ArgumentList.Add(directory);
            info.ArgumentList.Add(elements.ToString(CultureInfo.InvariantCulture));
            info.ArgumentList.Add(maxToKeep.ToString(CultureInfo.InvariantCulture));
            var process = new Process { StartInfo = info };
            var child = new ChildProcess(process);
            process.OutputDataReceived += (_, e) => child._pending.Add(e.Data);
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) child._stderr.Enqueue(e.Data); };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return child;
        }

        /// <summary>The next line starting with <paramref name="word"/>; fails with the child's stderr if it ends first.</summary>
        public string WaitFor(string word)
        {
            while (true)
            {
                if (!_pending.TryTake(out var line, Patience))
                    Assert.Fail($"the child printed no '{word}' line in {Patience}");
                if (line is null)
                {
                    _process.WaitForExit();
                    Assert.Fail($"the child exited with code {_process.ExitCode} before printing '{word}': {string.Join("\n", _stderr)}");
                }
                Lines.Add(line);
                if (line.StartsWith(word + " ", StringComparison.Ordinal)) return line;
            }
        }

        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            // Collect what it printed before dying, so the test knows which saves completed.
            while (_pending.TryTake(out var line, TimeSpan.FromSeconds(10)) && line is not null) Lines.Add(line);
        }

        public void Dispose()
        {
            if (!_process.HasExited) Kill();
            _process.Dispose();
            _pending.Dispose();
        }

        private static string DotnetHost()
        {
            // The test host usually runs under the dotnet executable; some runners use an apphost instead.
            var self = Environment.ProcessPath;
            if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
            var fromCli = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            return !string.IsNullOrEmpty(fromCli) && File.Exists(fromCli) ? fromCli : "dotnet";
        }

        private static string ChildDll()
        {
            const string name = "CheckpointCrashChild.dll";
            var beside = Path.Combine(AppContext.BaseDirectory, name);
            if (File.Exists(beside)) return beside;

            // Otherwise it is in its own project's output, built with the same configuration and framework.
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            string framework = output.Name, configuration = output.Parent!.Name;
            var built = Path.Combine(GraphCompiler.Tests.Shared.RepositoryRoot.Path, "tests", "CheckpointCrashChild", "bin", configuration, framework, name);
            Assert.True(File.Exists(built), $"the crash child is not built: {built} is missing");
            return built;
        }
    }
}
