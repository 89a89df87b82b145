using GraphCompiler.Runtime.Embeddings;

namespace GraphCompiler.Runtime.Tests.Embeddings;

public class ProjectionTests
{
    [Fact]
    public void Pca_recovers_planted_directions_in_order_of_variance()
    {
        // 300 points in 24-D: position 3·s along u plus 1·t along v (u ⟂ v, random orientation), plus small noise.
        const int n = 300, d = 24;
        var random = new Random(7);
        var u = RandomUnit(random, d);
        var v = RandomUnit(random, d);
        double uv = Dot(u, v);
        for (int k = 0; k < d; k++) v[k] -= uv * u[k];
        Scale(v, 1 / Math.Sqrt(Dot(v, v)));

        // Factors centred and exactly uncorrelated in this sample, so the sample's principal axes are u and v.
        var s = Centred(Enumerable.Range(0, n).Select(_ => PlantedEmbeddings.Gaussian(random)).ToArray());
        var t = Centred(Enumerable.Range(0, n).Select(_ => PlantedEmbeddings.Gaussian(random)).ToArray());
        double st = Dot(s, t) / Dot(s, s);
        for (int i = 0; i < n; i++) t[i] -= st * s[i];
        var data = new float[n * d];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < d; k++)
                data[i * d + k] = (float)(5 + 3 * s[i] * u[k] + t[i] * v[k] + 0.01 * PlantedEmbeddings.Gaussian(random));
        }
        var matrix = new EmbeddingMatrix(data, n, d);
        var rows = Enumerable.Range(0, n).ToArray();

        var projected = Projection.Pca(matrix, rows, dims: 2);

        Assert.Equal(2 * n, projected.Length);
        var first = Enumerable.Range(0, n).Select(i => (double)projected[2 * i]).ToArray();
        var second = Enumerable.Range(0, n).Select(i => (double)projected[2 * i + 1]).ToArray();
        // The coordinates are the planted factors up to sign (the constant offset 5 is centred away).
        Assert.True(Math.Abs(Correlation(first, s)) > 0.9999, $"PC1 vs planted s: r = {Correlation(first, s)}");
        Assert.True(Math.Abs(Correlation(second, t)) > 0.999, $"PC2 vs planted t: r = {Correlation(second, t)}");
        Assert.Equal(3 * StandardDeviation(s), StandardDeviation(first), 0.01);
        Assert.Equal(StandardDeviation(t), StandardDeviation(second), 0.01);
        Assert.Equal(0, first.Average(), 1e-4);
    }

    [Fact]
    public void Pca_projects_only_the_chosen_rows_and_is_deterministic()
    {
        var matrix = PlantedEmbeddings.Clusters(clusters: 3, perCluster: 20, dimension: 8, noise: 0.3, seed: 3);
        int[] rows = [5, 25, 45, 6, 26, 46];
        var once = Projection.Pca(matrix, rows, dims: 3);
        Assert.Equal(18, once.Length);
        Assert.Equal(once, Projection.Pca(matrix, rows, dims: 3));
        // The same points in another order give the same coordinates, permuted.
        var reversed = Projection.Pca(matrix, rows.Reverse().ToArray(), dims: 3);
        for (int i = 0; i < rows.Length; i++)
            for (int c = 0; c < 3; c++)
                Assert.Equal(once[3 * i + c], reversed[3 * (rows.Length - 1 - i) + c], 1e-4);
    }

    [Fact]
    public void Pca_rejects_bad_arguments_by_name()
    {
        var matrix = new EmbeddingMatrix(new float[12], 3, 4);
        Assert.Contains("rows[1] = 3", Assert.Throws<ArgumentOutOfRangeException>(() => Projection.Pca(matrix, [0, 3])).Message);
        Assert.Contains("1..4", Assert.Throws<ArgumentOutOfRangeException>(() => Projection.Pca(matrix, [0, 1], dims: 5)).Message);
        Assert.Throws<ArgumentException>(() => Projection.Pca(matrix, []));
    }

    [Fact]
    public void Tsne_separates_planted_clusters_and_keeps_neighbours_together()
    {
        const int clusters = 4, perCluster = 30;
        var matrix = PlantedEmbeddings.Clusters(clusters, perCluster, dimension: 16, noise: 0.5, seed: 11);
        var rows = Enumerable.Range(0, clusters * perCluster).ToArray();

        var xy = Projection.Tsne(matrix, rows, new TsneOptions { Iterations = 500 });

        Assert.Equal(2 * rows.Length, xy.Length);
        Assert.All(xy, value => Assert.True(float.IsFinite(value)));
        // Every point's 10 nearest neighbours in the plot come from its own cluster.
        for (int i = 0; i < rows.Length; i++)
            Assert.All(PlantedEmbeddings.Nearest2D(xy, i, 10), j => Assert.Equal(i / perCluster, j / perCluster));
        // And the clusters are apart: the closest pair across clusters is farther than the typical
        // distance between a point and its own cluster's centre.
        var centres = Enumerable.Range(0, clusters).Select(c => Centre(xy, c * perCluster, perCluster)).ToArray();
        double spread = rows.Average(i => Distance(xy[2 * i], xy[2 * i + 1], centres[i / perCluster].X, centres[i / perCluster].Y));
        double closestAcross = rows.SelectMany(i => rows.Where(j => j / perCluster != i / perCluster)
            .Select(j => Distance(xy[2 * i], xy[2 * i + 1], xy[2 * j], xy[2 * j + 1]))).Min();
        Assert.True(closestAcross > spread, $"closest cross-cluster pair {closestAcross:F2} vs mean spread {spread:F2}");
    }

    [Fact]
    public void Tsne_is_a_function_of_its_seed()
    {
        var matrix = PlantedEmbeddings.Clusters(clusters: 2, perCluster: 15, dimension: 6, noise: 0.4, seed: 5);
        var rows = Enumerable.Range(0, 30).ToArray();
        var options = new TsneOptions { Iterations = 120, ExaggerationIterations = 60 };
        var first = Projection.Tsne(matrix, rows, options);
        Assert.Equal(first, Projection.Tsne(matrix, rows, options));
        Assert.NotEqual(first, Projection.Tsne(matrix, rows, options with { Seed = 2 }));
    }

    [Fact]
    public void Tsne_affinities_have_the_requested_perplexity_and_are_symmetric()
    {
        const int n = 80, d = 5;
        var matrix = PlantedEmbeddings.Clusters(clusters: 2, perCluster: 40, dimension: d, noise: 1.0, seed: 9);
        var x = matrix.Data.Select(v => (double)v).ToArray();

        var conditional = TsneOptimizer.ConditionalAffinities(x, n, d, perplexity: 10);
        for (int i = 0; i < n; i++)
        {
            var row = conditional.AsSpan(i * n, n).ToArray();
            Assert.Equal(0, row[i]);
            Assert.Equal(1.0, row.Sum(), 1e-12);
            double entropy = -row.Where(q => q > 0).Sum(q => q * Math.Log(q));
            Assert.Equal(10.0, Math.Exp(entropy), 1e-3);
        }

        var joint = TsneOptimizer.InputAffinities(x, n, d, perplexity: 10);
        Assert.Equal(1.0, joint.Sum(), 1e-6);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(0, joint[i * n + i]);
            for (int j = 0; j < i; j++)
            {
                Assert.Equal(joint[i * n + j], joint[j * n + i]);
                Assert.Equal(Math.Max((conditional[i * n + j] + conditional[j * n + i]) / (2 * n), 1e-12), joint[i * n + j], 1e-15);
            }
        }
    }

    [Fact]
    public void Tsne_rejects_bad_arguments_by_name()
    {
        var matrix = new EmbeddingMatrix(new float[12], 3, 4);
        Assert.Contains("at least 2 points", Assert.Throws<ArgumentException>(() => Projection.Tsne(matrix, [1])).Message);
        Assert.Contains("rows[0] = -1", Assert.Throws<ArgumentOutOfRangeException>(() => Projection.Tsne(matrix, [-1, 0])).Message);
        Assert.Contains("perplexity", Assert.Throws<ArgumentOutOfRangeException>(() => Projection.Tsne(matrix, [0, 1], new TsneOptions { Perplexity = 0 })).Message);
        var big = new EmbeddingMatrix(new float[TsneOptions.MaxPoints + 1], TsneOptions.MaxPoints + 1, 1);
        Assert.Contains("at most", Assert.Throws<ArgumentException>(() => Projection.Tsne(big, Enumerable.Range(0, TsneOptions.MaxPoints + 1).ToArray())).Message);
    }

    private static (double X, double Y) Centre(float[] xy, int start, int count) =>
        (Enumerable.Range(start, count).Average(i => xy[2 * i]), Enumerable.Range(start, count).Average(i => xy[2 * i + 1]));

    private static double Distance(double x1, double y1, double x2, double y2) => Math.Sqrt((x1 - x2) * (x1 - x2) + (y1 - y2) * (y1 - y2));

    private static double[] RandomUnit(Random random, int d)
    {
        var v = Enumerable.Range(0, d).Select(_ => PlantedEmbeddings.Gaussian(random)).ToArray();
        Scale(v, 1 / Math.Sqrt(Dot(v, v)));
        return v;
    }

    private static void Scale(double[] v, double factor)
    {
        for (int k = 0; k < v.Length; k++) v[k] *= factor;
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    private static double[] Centred(double[] values)
    {
        double mean = values.Average();
        return values.Select(v => v - mean).ToArray();
    }

    private static double StandardDeviation(double[] values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
    }

    private static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average();
        double cov = a.Zip(b, (x, y) => (x - ma) * (y - mb)).Sum();
        return cov / Math.Sqrt(a.Sum(x => (x - ma) * (x - ma)) * b.Sum(y => (y - mb) * (y - mb)));
    }
}
