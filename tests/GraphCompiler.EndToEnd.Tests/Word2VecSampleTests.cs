using System.Globalization;
using System.Text.Json;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// The Word2Vec program end to end on small synthetic corpora: embeddings that recover planted
/// topics, and a short run's metrics, projector files, checkpoints and resume.
/// </summary>
public sealed class Word2VecSampleTests : IDisposable
{
    private readonly Word2VecProgram _program = new();

    public void Dispose() => _program.Dispose();

    private string PlantedCorpus(int passages) => _program.PlantedCorpus(passages);

    private (int Code, string Output) Word2Vec(string arguments) => _program.Run(arguments);

    private string OnlyRun(string logdir) => _program.OnlyRun();

    [Theory]
    [InlineData("--loss nce")]
    [InlineData("--loss negative-sampling")]
    [InlineData("--loss negative-sampling --share-negatives 1")]
    public void EmbeddingsRecoverPlantedTopics(string loss)
    {
        var corpus = PlantedCorpus(300);
        var logdir = _program.LogDir;
        var (code, output) = Word2Vec($"--corpus \"{corpus}\" --logdir \"{logdir}\" --threads 1 --dim 64 --window 3 --min-count 1 --subsample 0 --epochs 2 --seed 4 {loss}");
        Assert.True(code == 0, output);
        var run = OnlyRun(logdir);
        var words = File.ReadAllLines(Path.Combine(run, "metadata.tsv")).Skip(1).Select(l => l.Split('\t')[0]).ToArray();
        var vectors = File.ReadAllLines(Path.Combine(run, "vectors.tsv"))
            .Select(l => l.Split('\t').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.Equal(words.Length, vectors.Length);
        double Cosine(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum() / Math.Sqrt(a.Sum(x => x * x) * b.Sum(x => x * x));
        int planted = 0;
        for (int i = 0; i < words.Length; i++)
        {
            if (words[i] is not [('x' or 'y'), _]) continue;
            planted++;
            var nearest = Enumerable.Range(0, words.Length).Where(j => j != i && words[j] is [('x' or 'y'), _])
                .MaxBy(j => Cosine(vectors[i], vectors[j]));
            Assert.True(words[nearest][0] == words[i][0], $"the nearest neighbour of {words[i]} is {words[nearest]}, from the other topic");
        }
        Assert.Equal(16, planted);
    }

    [Fact]
    public void AShortRunWritesMetricsProjectorFilesAndCheckpointsAndResumes()
    {
        var corpus = PlantedCorpus(60);
        var analogies = _program.File("analogies.txt", ": topics", "xa xb ya yb", "xa xc ya yc", "xa zz ya yb");
        var wordsim = _program.File("wordsim.tsv", "Word 1\tWord 2\tHuman (mean)", "xa\txb\t9", "xa\tya\t1", "yb\tyc\t8", "xc\tyd\t2");
        var logdir = _program.LogDir;
        string common = $"--corpus \"{corpus}\" --logdir \"{logdir}\" --threads 2 --dim 64 --min-count 1 --loss negative-sampling --negatives 3 --checkpoint-every 10 --analogies \"{analogies}\" --wordsim \"{wordsim}\"";
        var (code, output) = Word2Vec(common + " --steps 25");
        Assert.True(code == 0, output);
        var run = OnlyRun(logdir);

        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")));
        var root = metrics.RootElement;
        Assert.True(root.GetProperty("words_per_second").GetDouble() > 0);
        Assert.True(root.GetProperty("train_seconds").GetDouble() > 0);
        Assert.Equal(5, root.GetProperty("epochs").GetInt32());
        Assert.Equal(25, root.GetProperty("global_step").GetInt32());
        Assert.Equal(17, root.GetProperty("vocab_size").GetInt32());   // 16 topic words and UNK
        Assert.InRange(root.GetProperty("analogy_accuracy").GetDouble(), 0, 1);
        Assert.Equal(2, root.GetProperty("analogy_questions").GetInt32());   // "zz" is not in the vocabulary
        Assert.InRange(root.GetProperty("wordsim_spearman").GetDouble(), -1, 1);

        var metadata = File.ReadAllLines(Path.Combine(run, "metadata.tsv"));
        Assert.Equal("word\tfrequency", metadata[0]);
        Assert.Equal(17, metadata.Length - 1);
        var vectors = File.ReadAllLines(Path.Combine(run, "vectors.tsv"));
        Assert.Equal(17, vectors.Length);
        Assert.All(vectors, line => Assert.Equal(64, line.Split('\t').Length));
        var config = File.ReadAllText(Path.Combine(run, "projector_config.pbtxt"));
        var page = File.ReadAllText(Path.Combine(run, "embeddings.html"));
        Assert.Contains("<canvas", page);
        Assert.Contains("vectors.tsv", config);
        Assert.Contains("metadata.tsv", config);
        Assert.NotEmpty(Directory.GetFiles(run, "events.out.tfevents.*"));
        Assert.Equal(["word2vec-10.safetensors", "word2vec-20.safetensors", "word2vec-25.safetensors"], Word2VecProgram.Checkpoints(run));

        var (again, resumed) = Word2Vec(common + " --steps 40 --resume");
        Assert.True(again == 0, resumed);
        Assert.Contains("at step 25", resumed);
        Assert.Equal(run, OnlyRun(logdir));   // a resumed run continues in its own directory
        Assert.Contains("word2vec-40.safetensors", Word2VecProgram.Checkpoints(run));
    }

    [Fact]
    public void SharedNoiseWordsWithNceIsAClearError()
    {
        var (code, output) = Word2Vec($"--corpus \"{PlantedCorpus(4)}\" --logdir \"{_program.LogDir}\" --loss nce --share-negatives 4");
        Assert.NotEqual(0, code);
        Assert.Contains("--share-negatives applies to --loss negative-sampling", output);
    }

    [Fact]
    public void NoiseGroupsThatDoNotDivideTheBatchAreAClearError()
    {
        var (code, output) = Word2Vec($"--corpus \"{PlantedCorpus(4)}\" --logdir \"{_program.LogDir}\" --loss negative-sampling --batch 100 --share-negatives 16");
        Assert.NotEqual(0, code);
        Assert.Contains("--share-negatives 16 must divide --batch 100", output);
    }
}
