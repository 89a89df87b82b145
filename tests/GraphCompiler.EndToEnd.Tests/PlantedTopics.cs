using System.Globalization;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// A corpus with two planted topics (x… and y…, 8 words each, 40-word passages drawn from one topic at
/// a time), and the check that trained vectors recover them.
/// </summary>
internal static class PlantedTopics
{
    private static string[] Topic(char letter) => Enumerable.Range(0, 8).Select(i => $"{letter}{(char)('a' + i)}").ToArray();

    /// <summary>Writes <paramref name="passages"/> passages, alternating topics, to <paramref name="path"/>.</summary>
    public static string Write(string path, int passages)
    {
        var rng = new Random(3);
        var topics = new[] { Topic('x'), Topic('y') };
        using var writer = new StreamWriter(path);
        for (int p = 0; p < passages; p++)
        {
            var topic = topics[p % 2];
            writer.WriteLine(string.Join(' ', Enumerable.Range(0, 40).Select(_ => topic[rng.Next(topic.Length)])));
        }
        return path;
    }

    /// <summary>Asserts that every planted word's nearest planted word (cosine) in the projector files of <paramref name="directory"/> shares its topic.</summary>
    public static void AssertSeparated(string directory, string method)
    {
        var words = File.ReadAllLines(Path.Combine(directory, "metadata.tsv")).Skip(1).Select(l => l.Split('\t')[0]).ToArray();
        var vectors = File.ReadAllLines(Path.Combine(directory, "vectors.tsv"))
            .Select(l => l.Split('\t').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.Equal(words.Length, vectors.Length);
        double Cosine(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum() / Math.Sqrt(a.Sum(x => x * x) * b.Sum(x => x * x));
        var planted = Enumerable.Range(0, words.Length).Where(i => words[i] is [('x' or 'y'), _]).ToList();
        Assert.Equal(16, planted.Count);
        foreach (int i in planted)
        {
            int nearest = planted.Where(j => j != i).MaxBy(j => Cosine(vectors[i], vectors[j]));
            Assert.True(words[nearest][0] == words[i][0], $"{method}: the nearest neighbour of {words[i]} is {words[nearest]}, from the other topic");
        }
    }
}
