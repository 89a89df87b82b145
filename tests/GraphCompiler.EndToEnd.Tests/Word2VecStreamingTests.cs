using System.IO.Compression;
using GraphCompiler.Runtime.Checkpoints;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// The Word2Vec program streams its corpus: a directory of plain and gzip files trains exactly as the same text in
/// one file, and a run stopped inside a later chunk of an epoch resumes from its stream position bit for bit.
/// </summary>
public sealed class Word2VecStreamingTests : IDisposable
{
    private readonly Word2VecProgram _program = new();

    public void Dispose() => _program.Dispose();

    // 1,200 passages of 40 words: 144 KB, three 64 KiB chunks an epoch.
    private string Settings(string corpus) =>
        $"--corpus \"{corpus}\" --logdir \"{_program.LogDir}\" --threads 1 --dim 64 --min-count 1 --checkpoint-every 100 --epochs 2";

    private void Succeed(string arguments)
    {
        var (code, output) = _program.Run(arguments);
        Assert.True(code == 0, output);
    }

    private string Stash(string name)
    {
        var to = Path.Combine(_program.Folder, name);
        Directory.Move(_program.OnlyRun(), to);
        return to;
    }

    [Fact]
    public void AResumedRunStoppedInALaterChunkEndsWithTheSameWeights()
    {
        var corpus = _program.PlantedCorpus(1200);
        Succeed(Settings(corpus));
        long total = Word2VecProgram.GlobalStep(_program.OnlyRun());
        var straight = Stash("straight");

        long stop = total * 3 / 8 + 7;   // the first epoch's third chunk, off a checkpoint multiple
        Succeed(Settings(corpus) + $" --steps {stop}");
        var position = Saver.ReadMetadata(Saver.LatestCheckpoint(Path.Combine(_program.OnlyRun(), "checkpoints"))!)["data:shards"];
        var fields = position.Split(':');
        Assert.True(fields.Length == 8 && fields[0] == "0" && int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) >= 1
            && long.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture) > 0 && fields[6] != "0",
            $"not inside a later chunk of the first epoch: {position}");

        Succeed(Settings(corpus) + " --resume");
        Assert.Equal(total, Word2VecProgram.GlobalStep(_program.OnlyRun()));
        Word2VecProgram.AssertSameWeights(straight, _program.OnlyRun());
    }

    [Fact]
    public void ADirectoryOfPlainAndGzipFilesTrainsAsTheSameTextInOneFile()
    {
        var corpus = _program.PlantedCorpus(1200);
        var lines = File.ReadAllLines(corpus);
        var folder = Path.Combine(_program.Folder, "parts");
        Directory.CreateDirectory(Path.Combine(folder, "b"));
        File.WriteAllLines(Path.Combine(folder, "a.txt"), lines[..500]);
        using (var gzip = new GZipStream(File.Create(Path.Combine(folder, "b", "rest.txt.gz")), CompressionLevel.Fastest))
        using (var writer = new StreamWriter(gzip))
            foreach (var line in lines[500..]) writer.Write(line + "\n");

        Succeed(Settings(corpus) + " --steps 600");
        var single = Stash("single");
        Succeed(Settings(folder) + " --steps 600");
        var run = _program.OnlyRun();
        Assert.Equal(File.ReadAllText(Path.Combine(single, "vocabulary.tsv")), File.ReadAllText(Path.Combine(run, "vocabulary.tsv")));
        Word2VecProgram.AssertSameWeights(single, run);
    }
}
