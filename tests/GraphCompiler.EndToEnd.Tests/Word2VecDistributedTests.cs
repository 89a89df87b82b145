using System.Globalization;
using GraphCompiler.Runtime.Checkpoints;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// Word2Vec's data-parallel mode: <c>mpirun -np 2</c> on loopback over a small planted-topics corpus. The replicas stay
/// bit-identical, the sparse (gathered rows) and dense (all-reduced tables) ways of combining the ranks' updates give
/// the same tables, a resumed run ends where an uninterrupted one does, a run resumed on another number of ranks
/// trains the rest of the data once, the two ranks' shards read every word of the corpus once, and the loss falls.
/// </summary>
public sealed class Word2VecDistributedTests : IDisposable
{
    private const string Common = "--dim 16 --batch 32 --min-count 1 --window 3 --subsample 0";
    private readonly Word2VecProgram _program = new();

    public void Dispose() => _program.Dispose();

    private string Run(string arguments, int ranks = 2)
    {
        var (code, output) = MpiLauncher.Run(ranks, Word2VecProgram.Dll, arguments, _program.Folder, TimeSpan.FromMinutes(3));
        Assert.True(code == 0, output);
        return output;
    }

    private string LogDir(string name) => Path.Combine(_program.Folder, name);

    private string OnlyRun(string name) => Assert.Single(Directory.GetDirectories(LogDir(name), "run-*"));

    // The sparse sync adds the ranks' changes one after the other, the dense one adds their all-reduced sum: the same
    // tables up to rounding, which the steps after it carry on (relative tolerance).
    private static void AssertCloseTables(string sparseRun, string denseRun, float tolerance = 1e-6f)
    {
        var expected = Word2VecProgram.Latest(sparseRun);
        var dense = Word2VecProgram.Latest(denseRun);
        Assert.Contains(expected.Tensors, t => t.DType == DType.Float32);
        foreach (var tensor in expected.Tensors.Where(t => t.DType == DType.Float32))
        {
            Assert.True(dense.TryGet(tensor.Name, out var other));
            var a = MemoryMarshal.Cast<byte, float>(tensor.Data);
            var b = MemoryMarshal.Cast<byte, float>(other.Data);
            Assert.Equal(a.Length, b.Length);
            for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) <= tolerance * Math.Max(1, Math.Abs(a[i])), $"{tensor.Name}[{i}]: sparse {a[i]}, dense {b[i]}");
        }
    }

    [Fact]
    public void SparseAndDenseSyncGiveTheSameTablesReplicasStayBitIdenticalAndResumeIsExact()
    {
        var corpus = _program.PlantedCorpus(200);
        string steps = $"--corpus \"{corpus}\" {Common} --epochs 3";
        var sparse = Run($"{steps} --steps 40 --sync sparse --check-replicas --logdir \"{LogDir("sparse")}\"");
        Assert.Contains("replicas bit-identical after every one of 40 steps", sparse);
        Run($"{steps} --steps 40 --sync dense --logdir \"{LogDir("dense")}\"");
        AssertCloseTables(OnlyRun("sparse"), OnlyRun("dense"));

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
        var words = Regex.Match(output, @"words read: (\d+) by 2 rank\(s\) in 2 epoch\(s\), (\d+) of them in this run; the counting pass found (\d+)");
        Assert.True(words.Success, output);
        Assert.Equal(words.Groups[3].Value, words.Groups[1].Value);
        Assert.Equal(words.Groups[1].Value, words.Groups[2].Value);
        Assert.Equal(2L * 120 * 40, long.Parse(words.Groups[1].Value, CultureInfo.InvariantCulture));
        var loss = Regex.Match(output, @"loss: ([\d.]+) over the first (\d+) steps, ([\d.]+) over the last");
        Assert.True(loss.Success, output);
        double first = double.Parse(loss.Groups[1].Value, CultureInfo.InvariantCulture), last = double.Parse(loss.Groups[3].Value, CultureInfo.InvariantCulture);
        Assert.True(last < first * 0.9, $"the loss went from {first} to {last}");
        Assert.True(File.Exists(Path.Combine(OnlyRun("full"), "vocabulary.tsv")));
    }

    // Stopped after 150 steps (past the first shard of every rank), then resumed to the end on the other number of
    // ranks: the words read before the checkpoint and after it make up the corpus's two epochs exactly.
    [Theory]
    [InlineData(2, 1)]
    [InlineData(1, 2)]
    public void AResumeOnAnotherNumberOfRanksTrainsTheRestOfTheDataOnce(int before, int after)
    {
        var corpus = _program.PlantedCorpus(120);
        string common = $"--corpus \"{corpus}\" {Common} --epochs 2 --logdir \"{LogDir("changed")}\"";
        Run($"{common} --steps 150 --checkpoint-every 50", before);
        var checkpoint = Saver.LatestCheckpoint(Path.Combine(OnlyRun("changed"), "checkpoints"))!;
        long trained = Saver.ReadMetadata(checkpoint)["data:shards"].Split(';')
            .Sum(p => long.Parse(p.Split(':')[^1], CultureInfo.InvariantCulture));
        Assert.InRange(trained, 1, 120 * 40 - 1);

        var output = Run($"{common} --resume --check-replicas", after);
        Assert.Contains("resumed at step 150", output);
        var words = Regex.Match(output, $@"words read: (\d+) by {after} rank\(s\) in 2 epoch\(s\), (\d+) of them in this run; the counting pass found (\d+)");
        Assert.True(words.Success, output);
        Assert.Equal(2L * 120 * 40, long.Parse(words.Groups[3].Value, CultureInfo.InvariantCulture));
        Assert.Equal(words.Groups[3].Value, words.Groups[1].Value);
        Assert.Equal(2L * 120 * 40 - trained, long.Parse(words.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    // NCE samples 64 output rows inside the compiled step: with a vocabulary of 200 words the rows differ from step
    // to step and from rank to rank, and a row the host did not repeat the draw for would keep one rank's change only.
    [Fact]
    public void NceReplicasStayBitIdenticalAndSparseAndDenseSyncAgree()
    {
        var rng = new Random(5);
        var corpus = _program.File("zipf.txt", [.. Enumerable.Range(0, 150).Select(_ => string.Join(' ', Enumerable.Range(0, 40).Select(_ => $"w{Math.Min(199, (int)(1 / (1 - rng.NextDouble())) - 1)}")))]);
        string steps = $"--corpus \"{corpus}\" {Common} --epochs 1 --steps 30 --loss nce";
        var sparse = Run($"{steps} --sync sparse --check-replicas --logdir \"{LogDir("nce-sparse")}\"");
        Assert.Contains("replicas bit-identical after every one of 30 steps", sparse);
        Assert.Matches(@"vocabulary (\d{3}) words", sparse);
        Run($"{steps} --sync dense --logdir \"{LogDir("nce-dense")}\"");
        // NCE's first losses are near 80 and its first steps large: they amplify the rounding difference tenfold more.
        AssertCloseTables(OnlyRun("nce-sparse"), OnlyRun("nce-dense"), tolerance: 1e-5f);
    }
}
