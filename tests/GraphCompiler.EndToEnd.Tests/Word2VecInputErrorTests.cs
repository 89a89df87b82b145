using System.IO.Compression;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// Bad input to the Word2Vec program: each is one line <c>error: what (file[:line]): why</c> on stderr,
/// exit code 2, no stack trace, and nothing trained.
/// </summary>
public sealed class Word2VecInputErrorTests : IDisposable
{
    private readonly Word2VecProgram _program = new();

    public void Dispose() => _program.Dispose();

    private string Common => $"--logdir \"{_program.LogDir}\" --threads 1 --dim 64 --min-count 1";

    private void AssertOneLineError(string arguments, params string[] expected)
    {
        var (code, error) = _program.RunForError(arguments);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("error: ", line);
        foreach (var part in expected) Assert.Contains(part, line);
        Assert.Equal(2, code);
    }

    [Fact]
    public void AnEmptyCorpusIsAnError()
    {
        var corpus = _program.File("empty.txt");
        AssertOneLineError($"--corpus \"{corpus}\" {Common}", $"corpus ({corpus})", "empty");
        Assert.False(Directory.Exists(_program.LogDir));
    }

    [Fact]
    public void ATinyCorpusSaysWhatIsTooSmall()
    {
        var corpus = _program.File("tiny.txt", "one two three");
        AssertOneLineError($"--corpus \"{corpus}\" {Common}", "too small", "3 in-vocabulary tokens", "batch of 128");
        var single = _program.File("single.txt", "again again again again again");
        AssertOneLineError($"--corpus \"{single}\" {Common}", "too small", "1 distinct word occurs", "at least 2");
    }

    [Fact]
    public void ATruncatedGzipCorpusIsAnError()
    {
        var text = File.ReadAllBytes(_program.PlantedCorpus(200));
        var gz = Path.Combine(_program.Folder, "topics.txt.gz");
        using (var stream = new GZipStream(File.Create(gz), CompressionLevel.Optimal)) stream.Write(text);
        var bytes = File.ReadAllBytes(gz);
        File.WriteAllBytes(gz, bytes[..(bytes.Length * 2 / 3)]);
        AssertOneLineError($"--corpus \"{gz}\" {Common}", gz, "truncated");
    }

    [Fact]
    public void AnEmptyCorpusDirectoryIsAnError()
    {
        var folder = Path.Combine(_program.Folder, "no-files");
        Directory.CreateDirectory(folder);
        AssertOneLineError($"--corpus \"{folder}\" {Common}", $"corpus ({folder})", "no files");
    }

    [Fact]
    public void ABinaryCorpusIsAnError()
    {
        var binary = Path.Combine(_program.Folder, "corpus.bin");
        File.WriteAllBytes(binary, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 37))]);
        AssertOneLineError($"--corpus \"{binary}\" {Common}", $"corpus ({binary}:1)");
    }

    [Fact]
    public void AnEvaluationFileOfTheWrongKindIsRefusedBeforeTraining()
    {
        var corpus = _program.PlantedCorpus(60);
        var wordsim = _program.File("wordsim.tsv", "xa\txb\t9", "xa\tya\t1");
        AssertOneLineError($"--corpus \"{corpus}\" {Common} --analogies \"{wordsim}\"", $"analogy file ({wordsim}:1)", "four words");
        var analogies = _program.File("analogies.txt", ": topics", "xa xb ya yb");
        AssertOneLineError($"--corpus \"{corpus}\" {Common} --wordsim \"{analogies}\"", $"word-similarity file ({analogies}:1)");
        AssertOneLineError($"--corpus \"{corpus}\" {Common} --wordsim \"{Path.Combine(_program.Folder, "none.tsv")}\"", "does not exist");
        Assert.False(Directory.Exists(_program.LogDir));   // no run was started
    }

    [Fact]
    public void ARegularFileAsLogDirectoryIsAnError()
    {
        var corpus = _program.PlantedCorpus(60);
        var file = _program.File("not-a-directory");
        AssertOneLineError($"--corpus \"{corpus}\" --logdir \"{file}\" --min-count 1", $"log directory ({file})", "regular file");
    }

    [Fact]
    public void ACorruptCheckpointIsAnErrorOnResume()
    {
        var corpus = _program.PlantedCorpus(60);
        var (code, output) = _program.Run($"--corpus \"{corpus}\" {Common} --steps 10");
        Assert.True(code == 0, output);
        var checkpoint = Path.Combine(_program.OnlyRun(), "checkpoints", "word2vec-10.safetensors");
        var bytes = File.ReadAllBytes(checkpoint);
        File.WriteAllBytes(checkpoint, bytes[..(bytes.Length / 2)]);
        AssertOneLineError($"--corpus \"{corpus}\" {Common} --resume", "checkpoint", "word2vec-10.safetensors");
        File.WriteAllText(Path.Combine(_program.OnlyRun(), "checkpoints", "checkpoint"), "garbage {{{");
        AssertOneLineError($"--corpus \"{corpus}\" {Common} --resume", "checkpoint");
    }

    [Fact]
    public void BadOptionsAreOneLineEachWithExitCode2()
    {
        var (code, error) = _program.RunForError("--dim 0 --batch 0 --max-vocab 0");
        Assert.Equal(2, code);
        Assert.Contains("error: --dim needs an integer ≥ 1, got '0'", error);
        Assert.Contains("error: --max-vocab needs an integer ≥ 1, got '0'", error);
        Assert.Contains("error: --batch needs an integer ≥ 1, got '0'", error);
        Assert.DoesNotContain("   at ", error);
    }
}
