using GraphCompiler.Runtime.Text;

namespace GraphCompiler.Runtime.Embeddings;

/// <summary>The exact t-SNE computation behind <see cref="Projection.Tsne"/>.</summary>
internal static class TsneOptimizer
{
    private const double InitialScale = 1e-4;
    private const double MinGain = 0.01;
    private const double AffinityFloor = 1e-12;

    /// <summary>Runs t-SNE on n points of dimension d (row-major doubles); returns [n, 2] floats.</summary>
    public static float[] Run(double[] x, int n, int d, TsneOptions options)
    {
        var p = InputAffinities(x, n, d, Math.Min(options.Perplexity, Math.Max(1.0, (n - 1) / 3.0)));
        double learningRate = options.LearningRate > 0 ? options.LearningRate : Math.Max(n / options.EarlyExaggeration, 50);

        var y = InitialPositions(n, options.Seed);
        var update = new double[2 * n];
        var gains = new double[2 * n];
        Array.Fill(gains, 1.0);
        // Per row: attraction (x, y), repulsion numerator (x, y) and the row's share of Z.
        var parts = new double[5 * n];
        int chunk = Math.Max(16, n / (4 * Environment.ProcessorCount));

        for (int iteration = 0; iteration < options.Iterations; iteration++)
        {
            bool early = iteration < options.ExaggerationIterations;
            double exaggeration = early ? options.EarlyExaggeration : 1;
            double momentum = early ? 0.5 : 0.8;

            // Rows are independent and each writes only its own slots, so the sums (and the result)
            // do not depend on how the rows are split across threads.
            Parallel.For(0, (n + chunk - 1) / chunk, c =>
            {
                int end = Math.Min(n, (c + 1) * chunk);
                for (int i = c * chunk; i < end; i++) RowForces(p, y, n, i, exaggeration, parts);
            });
            double z = 0;
            for (int i = 0; i < n; i++) z += parts[5 * i + 4];

            for (int i = 0; i < n; i++)
                for (int axis = 0; axis < 2; axis++)
                {
                    int k = 2 * i + axis;
                    double gradient = 4 * (parts[5 * i + axis] - parts[5 * i + 2 + axis] / z);
                    // Delta-bar-delta gains: grow a coordinate's step while the gradient keeps pushing
                    // the way it has been moving, shrink it when the gradient turns back.
                    gains[k] = Math.Sign(gradient) != Math.Sign(update[k]) ? gains[k] + 0.2 : Math.Max(gains[k] * 0.8, MinGain);
                    update[k] = momentum * update[k] - learningRate * gains[k] * gradient;
                    y[k] += update[k];
                }
            Recentre(y, n);
        }

        var result = new float[2 * n];
        for (int k = 0; k < result.Length; k++) result[k] = (float)y[k];
        return result;
    }

    /// <summary>Symmetric joint affinities P (n×n, row-major, zero diagonal, sum 1) at the given perplexity.</summary>
    internal static double[] InputAffinities(double[] x, int n, int d, double perplexity)
    {
        var conditional = ConditionalAffinities(x, n, d, perplexity);
        var joint = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (i != j) joint[i * n + j] = Math.Max((conditional[i * n + j] + conditional[j * n + i]) / (2.0 * n), AffinityFloor);
        return joint;
    }

    /// <summary>Row i holds p_j|i: a distribution over j ≠ i whose perplexity (e to its entropy) is <paramref name="perplexity"/>.</summary>
    internal static double[] ConditionalAffinities(double[] x, int n, int d, double perplexity)
    {
        var conditional = new double[n * n];
        double target = Math.Log(perplexity);
        Parallel.For(0, n, i =>
        {
            var distances = new double[n];
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                double sum = 0;
                for (int k = 0; k < d; k++)
                {
                    double diff = x[i * d + k] - x[j * d + k];
                    sum += diff * diff;
                }
                distances[j] = sum;
            }
            CalibrateRow(distances, i, target, conditional.AsSpan(i * n, n));
        });
        return conditional;
    }

    // Bisection on the precision β of row i until the entropy of p_j|i is ln(perplexity). Distances
    // are shifted by their minimum before exp, which cancels in the normalisation but keeps exp
    // from underflowing to an all-zero row for large β.
    private static void CalibrateRow(double[] distances, int self, double targetEntropy, Span<double> row)
    {
        double minimum = double.PositiveInfinity;
        for (int j = 0; j < distances.Length; j++)
            if (j != self) minimum = Math.Min(minimum, distances[j]);

        double beta = 1, low = double.NegativeInfinity, high = double.PositiveInfinity;
        for (int step = 0; step < 200; step++)
        {
            double sum = 0, weighted = 0;
            for (int j = 0; j < distances.Length; j++)
            {
                if (j == self) { row[j] = 0; continue; }
                double shifted = distances[j] - minimum;
                double value = Math.Exp(-beta * shifted);
                row[j] = value;
                sum += value;
                weighted += shifted * value;
            }
            double entropy = Math.Log(sum) + beta * weighted / sum;
            for (int j = 0; j < row.Length; j++) row[j] /= sum;
            double error = entropy - targetEntropy;
            if (Math.Abs(error) < 1e-5) break;
            if (error > 0)
            {
                low = beta;
                beta = double.IsPositiveInfinity(high) ? beta * 2 : (beta + high) / 2;
            }
            else
            {
                high = beta;
                beta = double.IsNegativeInfinity(low) ? beta / 2 : (beta + low) / 2;
            }
        }
    }

    private static void RowForces(double[] p, double[] y, int n, int i, double exaggeration, double[] parts)
    {
        double yx = y[2 * i], yy = y[2 * i + 1];
        double ax = 0, ay = 0, rx = 0, ry = 0, z = 0;
        int rowOffset = i * n;
        for (int j = 0; j < n; j++)
        {
            if (j == i) continue;
            double dx = yx - y[2 * j], dy = yy - y[2 * j + 1];
            double kernel = 1 / (1 + dx * dx + dy * dy);
            z += kernel;
            double attraction = p[rowOffset + j] * kernel;
            ax += attraction * dx;
            ay += attraction * dy;
            double repulsion = kernel * kernel;
            rx += repulsion * dx;
            ry += repulsion * dy;
        }
        parts[5 * i] = exaggeration * ax;
        parts[5 * i + 1] = exaggeration * ay;
        parts[5 * i + 2] = rx;
        parts[5 * i + 3] = ry;
        parts[5 * i + 4] = z;
    }

    private static double[] InitialPositions(int n, ulong seed)
    {
        var random = new SplitMix64(seed);
        var y = new double[2 * n];
        for (int k = 0; k < y.Length; k += 2)
        {
            // Box–Muller: one pair of normals per pair of uniforms; 1 − u keeps the log finite.
            double radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
            double angle = 2 * Math.PI * random.NextDouble();
            y[k] = InitialScale * radius * Math.Cos(angle);
            y[k + 1] = InitialScale * radius * Math.Sin(angle);
        }
        return y;
    }

    private static void Recentre(double[] y, int n)
    {
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) { mx += y[2 * i]; my += y[2 * i + 1]; }
        mx /= n;
        my /= n;
        for (int i = 0; i < n; i++) { y[2 * i] -= mx; y[2 * i + 1] -= my; }
    }
}
