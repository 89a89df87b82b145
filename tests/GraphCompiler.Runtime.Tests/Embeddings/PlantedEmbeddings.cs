using GraphCompiler.Runtime.Embeddings;

namespace GraphCompiler.Runtime.Tests.Embeddings;

/// <summary>Synthetic embeddings with known structure: clusters around separated centres.</summary>
internal static class PlantedEmbeddings
{
    /// <summary>
    /// <paramref name="clusters"/> groups of <paramref name="perCluster"/> points in <paramref name="dimension"/>-D:
    /// cluster c is centred on 4·e_c (well apart) with Gaussian noise of the given deviation per coordinate.
    /// Point i belongs to cluster i / perCluster.
    /// </summary>
    public static EmbeddingMatrix Clusters(int clusters, int perCluster, int dimension, double noise, int seed)
    {
        var random = new Random(seed);
        var data = new float[clusters * perCluster * dimension];
        for (int i = 0; i < clusters * perCluster; i++)
            for (int k = 0; k < dimension; k++)
                data[i * dimension + k] = (float)((k == i / perCluster ? 4.0 : 0.0) + noise * Gaussian(random));
        return new EmbeddingMatrix(data, clusters * perCluster, dimension);
    }

    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Indices of the k nearest points to point i among n 2-D points (row-major), nearest first.</summary>
    public static int[] Nearest2D(float[] xy, int i, int k) =>
        Enumerable.Range(0, xy.Length / 2)
            .Where(j => j != i)
            .OrderBy(j => Square(xy[2 * i] - xy[2 * j]) + Square(xy[2 * i + 1] - xy[2 * j + 1]))
            .Take(k)
            .ToArray();

    private static double Square(double value) => value * value;
}
