using CountVectors;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Linalg;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// The CountVectors sample's GloVe training against a plain per-entry GloVe written out here: the
/// generated batch step, its Hogwild replicas and the vectors handed to the evaluation.
/// </summary>
public class GloVeReferenceTests
{
    private const int Dim = 64;

    // Distinct rows and distinct columns within each batch: then a batched sparse Adagrad step must be
    // exactly one per-entry Adagrad step per entry, in any order.
    private static readonly int[][] BatchRows = [[1, 4, 9, 2], [4, 2, 7, 1]];
    private static readonly int[][] BatchColumns = [[3, 8, 1, 6], [8, 5, 3, 9]];
    private static readonly float[][] BatchCounts = [[2.5f, 0.5f, 12f, 1f], [3f, 0.25f, 40f, 7f]];
    private const double XMax = 10, Power = 0.75, Rate = 0.3;

    /// <summary>The per-entry reference: J's gradient for one entry, then Adagrad (accumulator += g², v −= lr·g/√accumulator).</summary>
    private sealed class Reference(IModel model)
    {
        private readonly Dictionary<string, double[]> _v = model.AllVariables.ToDictionary(v => v.Name, v => v.ToDoubleArray());

        public double[] this[string name] => _v[name];

        public double Entry(int i, int j, double count)
        {
            double f = Math.Min(1, Math.Pow(count / XMax, Power));
            var w = _v["glove/word"];
            var c = _v["glove/context"];
            double diff = _v["glove/word_bias"][i] + _v["glove/context_bias"][j] - Math.Log(count);
            for (int k = 0; k < Dim; k++) diff += w[i * Dim + k] * c[j * Dim + k];
            double fdiff = f * diff;
            for (int k = 0; k < Dim; k++)
            {
                // Both gradients from the values before this entry's update, as GloVe computes them.
                double gw = fdiff * c[j * Dim + k], gc = fdiff * w[i * Dim + k];
                Update("glove/word", i * Dim + k, gw);
                Update("glove/context", j * Dim + k, gc);
            }
            Update("glove/word_bias", i, fdiff);
            Update("glove/context_bias", j, fdiff);
            return 0.5 * f * diff * diff;
        }

        private void Update(string name, int at, double g)
        {
            var a = _v[name + "/Adagrad"];
            a[at] += g * g;
            _v[name][at] -= Rate * g / Math.Sqrt(a[at]);
        }
    }

    private static EntryBatch Batch(int b)
    {
        var batch = new EntryBatch(BatchRows[b].Length);
        for (int e = 0; e < batch.Rows.Length; e++)
        {
            batch.Rows[e] = BatchRows[b][e];
            batch.Columns[e] = BatchColumns[b][e];
            batch.LogCounts[e] = MathF.Log(BatchCounts[b][e]);
            batch.Weights[e] = (float)Math.Min(1, Math.Pow(BatchCounts[b][e] / XMax, Power));
        }
        return batch;
    }

    [Fact]
    public void BatchStepsOfDistinctRowsArePerEntryAdagradAndReplicasShareTheAccumulators()
    {
        var glove = GloVe.Create(12288, Dim, seed: 5);
        var variables = glove.Model.AllVariables;
        // Vectors of size about 1, so the dot products and the vector gradients are not negligible.
        var random = new Random(2);
        foreach (var v in variables.Where(v => !v.Name.EndsWith("Adagrad", StringComparison.Ordinal)))
        {
            var data = ((Variable<float>)glove.Model.AllVariables[v.Name]).Data;
            for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() - 0.5);
        }
        var reference = new Reference(glove.Model);
        // The second batch goes through a replica: it reuses the first batch's rows, so it agrees only if
        // the replica updates the same tables and reads the accumulators the first step grew.
        var steppers = new[] { glove, glove.Replica() };
        for (int b = 0; b < BatchRows.Length; b++)
        {
            double expectedLoss = 0;
            for (int e = 0; e < BatchRows[b].Length; e++) expectedLoss += reference.Entry(BatchRows[b][e], BatchColumns[b][e], BatchCounts[b][e]);
            float loss = steppers[b].Step(Batch(b), (float)Rate);
            Assert.True(Math.Abs(loss - expectedLoss) <= 1e-4 * Math.Max(1, expectedLoss), $"batch {b}: loss {loss}, reference {expectedLoss}");
            foreach (var v in variables)
            {
                var actual = v.ToDoubleArray();
                for (int e = 0; e < actual.Length; e++)
                    Assert.True(Math.Abs(actual[e] - reference[v.Name][e]) <= 1e-5 + 1e-4 * Math.Abs(reference[v.Name][e]),
                        $"{v.Name}[{e}] after batch {b}: step {actual[e]}, per-entry reference {reference[v.Name][e]}");
            }
        }
    }

    [Fact]
    public void TheVectorsAreWordPlusContextInIdOrder()
    {
        var glove = GloVe.Create(12288, Dim, seed: 6);
        var word = ((Variable<float>)glove.Model.AllVariables["glove/word"]).Data;
        var context = ((Variable<float>)glove.Model.AllVariables["glove/context"]).Data;
        // Distinct values per cell, so a transposed, shifted or context-only read shows.
        for (int i = 0; i < word.Length; i++)
        {
            word[i] = i * 1e-3f;
            context[i] = -i * 5e-4f + 1;
        }
        var vectors = glove.Vectors(10);
        Assert.Equal(10 * Dim, vectors.Length);
        for (int id = 0; id < 10; id++)
            for (int k = 0; k < Dim; k++)
                Assert.Equal(word[id * Dim + k] + context[id * Dim + k], vectors[id * Dim + k]);
    }

    [Fact]
    public void TrainingPutsEachWordsRowAtItsIdAndFitsTheLogCounts()
    {
        // Counts of a few words whose rows differ: after training, w_i·c̃_j + b_i + b̃_j tracks log X_ij
        // for the entries of each row (a row/column mix-up or a wrong entry order would not fit).
        int n = 12;
        var dense = new double[n, n];
        var random = new Random(3);
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
                if (random.NextDouble() < 0.6) dense[i, j] = dense[j, i] = 1 + random.Next(1, 30) * (1 + (i % 3));
        var starts = new long[n + 1];
        var columns = new List<int>();
        var values = new List<float>();
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
                if (dense[i, j] > 0) { columns.Add(j); values.Add((float)dense[i, j]); }
            starts[i + 1] = columns.Count;
        }
        var counts = new SparseMatrix(n, n, starts, columns.ToArray(), values.ToArray());
        var glove = GloVe.Create(12288, Dim, seed: 7);
        var result = GloVeTraining.Train(glove, counts, new GloVeSettings(Epochs: 300, BatchSize: 8, LearningRate: 0.1f, XMax: 10, Threads: 2, Seed: 3));
        Assert.True(result.EpochLosses[^1] < 0.02 * result.EpochLosses[0], $"loss per entry {result.EpochLosses[0]} → {result.EpochLosses[^1]}");
        var v = glove.Model.AllVariables;
        var w = ((Variable<float>)v["glove/word"]).Data;
        var c = ((Variable<float>)v["glove/context"]).Data;
        var bw = ((Variable<float>)v["glove/word_bias"]).Data;
        var bc = ((Variable<float>)v["glove/context_bias"]).Data;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                if (dense[i, j] == 0) continue;
                double fit = bw[i] + bc[j];
                for (int k = 0; k < Dim; k++) fit += w[i * Dim + k] * c[j * Dim + k];
                Assert.True(Math.Abs(fit - Math.Log(dense[i, j])) < 0.25, $"X[{i}, {j}] = {dense[i, j]}: fitted log {fit}, log X {Math.Log(dense[i, j])}");
            }
    }
}
