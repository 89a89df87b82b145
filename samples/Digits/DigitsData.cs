using System.Globalization;
using System.IO.Compression;

namespace Digits;

/// <summary>The UCI digits shipped in data/: pixels scaled to [0, 1], labels 0–9.</summary>
public sealed record DigitsData(float[] Images, int[] Labels)
{
    public int Count => Labels.Length;

    public static DigitsData Load(string path)
    {
        var images = new List<float>();
        var labels = new List<int>();
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var fields = line.Split(',');
            if (fields.Length != 65) throw new InvalidDataException($"{path}:{lineNumber}: expected 65 comma-separated values, got {fields.Length}");
            for (int i = 0; i < 64; i++) images.Add(float.Parse(fields[i], CultureInfo.InvariantCulture) / 16f);
            labels.Add(int.Parse(fields[64], CultureInfo.InvariantCulture));
        }
        return new DigitsData(images.ToArray(), labels.ToArray());
    }

    /// <summary>A seeded shuffle, then the first <paramref name="trainCount"/> samples for training and the rest for testing.</summary>
    public (DigitsData Train, DigitsData Test) Split(int trainCount, int seed)
    {
        var order = Enumerable.Range(0, Count).ToArray();
        new Random(seed).Shuffle(order);
        DigitsData Take(IEnumerable<int> ids)
        {
            var list = ids.ToArray();
            var images = new float[list.Length * 64];
            for (int i = 0; i < list.Length; i++) Array.Copy(Images, list[i] * 64, images, i * 64, 64);
            return new DigitsData(images, list.Select(i => Labels[i]).ToArray());
        }
        return (Take(order.Take(trainCount)), Take(order.Skip(trainCount)));
    }
}
