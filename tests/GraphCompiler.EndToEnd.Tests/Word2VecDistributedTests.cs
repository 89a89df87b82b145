using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// Word2Vec's data-parallel mode: <c>mpirun -np 2</c> on loopback over a small planted-topics corpus. The replicas stay
/// bit-identical, the sparse (gathered rows) and dense (all-reduced tables) ways of combining the ranks' updates give
/// the same tables, a resumed run ends where an uninterrupted one does, the two ranks' byte ranges read every word of
/// the corpus once, and the loss falls.
/// </summary>
public sealed class Word2VecDistributedTests : IDisposable
{
    private const string Common = "--dim 16 --batch 32 --min-count 1 --window 3 --subsample 0";
    private readonly Word2VecProgram _program = new();

    public void Dispose() => _program.Dispose();

    private string Run(string arguments)
    {
        var (code, output) = MpiLauncher.Run(2, Word2VecProgram.Dll, arguments, _program.Folder, TimeSpan.FromMinutes(3));
        Assert.True(code == 0, output);
        return output;
    }

    private string LogDir(string name) => Path.Combine(_program.Folder, name);

    private string OnlyRun(string name) => Assert.Single(Directory.GetDirectories(LogDir(name), "run-*"));

    [Fact]
    public void SparseAndDenseSyncGiveTheSameTablesReplicasStayBitIdenticalAndResumeIsExact()
    {
        var corpus = _program.PlantedCorpus(200);
        string steps = $"--corpus \"{corpus}\" {Common} --epochs 3";
        var sparse = Run($"{steps} --steps 40 --sync sparse --check-replicas --logdir \"{LogDir("sparse")}\"");
        Assert.Contains("replicas bit-identical after every one of 40 steps", sparse);
        Run($"{steps} --steps 40 --sync dense --logdir \"{LogDir("dense")}\"");
        var expected = Word2VecProgram.Latest(OnlyRun("sparse"));
        var dense = Word2VecProgram.Latest(OnlyRun("dense"));
        foreach (var tensor in expected.Tensors.Where(t => t.DType == DType.Float32))
        {
            Assert.True(dense.TryGet(tensor.Name, out var other));
            var a = MemoryMarshal.Cast<byte, float>(tensor.Data);
            var b = MemoryMarshal.Cast<byte, float>(other.Data);
            Assert.Equal(a.Length, b.Length);
            for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) <= 1e-6f, $"{tensor.Name}[{i}]: sparse {a[i]}, dense {b[i]}");
        }

        // Stopped at step 20 (checkpoints every 10), then resumed to 40: the same tables bit for bit.
        Run($"{steps} --steps 20 --checkpoint-every 10 --logdir \"{LogDir("resumed")}\"");
        var resumed = Run($"{steps} --steps 40 --resume --logdir \"{LogDir("resumed")}\"");
        Assert.Contains("resumed at step 20", resumed);
        Word2VecProgram.AssertSameWeights(OnlyRun("sparse"), OnlyRun("resumed"));
    }

    [Fact]
    public void TwoRanksReadEveryWordOnceAndTheLossFalls()
    {
        var corpus = _program.PlantedCorpus(120);
        var output = Run($"--corpus \"{corpus}\" {Common} --epochs 2 --learning-rate 1 --logdir \"{LogDir("full")}\"");
        var words = Regex.Match(output, @"words read: (\d+) by 2 rank\(s\) in 2 epoch\(s\); the counting pass found (\d+)");
        Assert.True(words.Success, output);
        Assert.Equal(words.Groups[2].Value, words.Groups[1].Value);
        Assert.Equal(2L * 120 * 40, long.Parse(words.Groups[1].Value, CultureInfo.InvariantCulture));
        var loss = Regex.Match(output, @"loss: ([\d.]+) over the first (\d+) steps, ([\d.]+) over the last");
        Assert.True(loss.Success, output);
        double first = double.Parse(loss.Groups[1].Value, CultureInfo.InvariantCulture), last = double.Parse(loss.Groups[3].Value, CultureInfo.InvariantCulture);
        Assert.True(last < first * 0.9, $"the loss went from {first} to {last}");
        Assert.True(File.Exists(Path.Combine(OnlyRun("full"), "vocabulary.tsv")));
    }
}
