using GraphCompiler.Runtime;
using static GraphCompiler.Benchmarks.Models.CharRnnSizes;

namespace GraphCompiler.Benchmarks.Baselines;

/// <summary>
/// The char_lstm / char_gru models written out in double precision from TensorFlow's equations
/// (BasicLSTMCell with forget bias 1, gates i, j, f, o; GRUCell with r, u and the reset applied before
/// the candidate's product): the mean cross-entropy of one batch and the output bias's gradient.
/// </summary>
public sealed class CharRnnReference
{
    /// <param name="variables">The model's variables before the step.</param>
    /// <param name="lstm">The LSTM model (else the GRU).</param>
    /// <param name="ids">Input ids [batch, Steps].</param>
    /// <param name="targets">Target ids [batch, Steps].</param>
    /// <param name="batch">Rows in <paramref name="ids"/>.</param>
    public CharRnnReference(VariableSet variables, bool lstm, int[] ids, int[] targets, int batch)
    {
        double[] Read(string name) => variables[name].ToDoubleArray();
        var embeddings = variables.First(v => v.Trainable && v.Name.StartsWith("embedding/", StringComparison.Ordinal)).ToDoubleArray();
        var (denseKernel, denseBias) = (Read("dense/kernel"), Read("dense/bias"));
        OutputBiasBefore = denseBias;
        var cell = lstm ? new[] { Read("lstm/kernel"), Read("lstm/bias") }
            : [Read("gru/gates/kernel"), Read("gru/gates/bias"), Read("gru/candidate/kernel"), Read("gru/candidate/bias")];
        OutputBiasGradient = new double[Vocabulary];
        int positions = batch * Steps;
        double total = 0;
        for (int b = 0; b < batch; b++)
        {
            var c = new double[Hidden];
            var h = new double[Hidden];
            for (int t = 0; t < Steps; t++)
            {
                var x = embeddings.AsSpan(ids[b * Steps + t] * Embedding, Embedding);
                h = lstm ? LstmStep(cell[0], cell[1], x, c, h) : GruStep(cell[0], cell[1], cell[2], cell[3], x, h);
                var logits = Affine(denseKernel, denseBias, h, [], Vocabulary);
                double max = logits.Max(), sum = logits.Sum(l => Math.Exp(l - max));
                int target = targets[b * Steps + t];
                total += max + Math.Log(sum) - logits[target];
                for (int k = 0; k < Vocabulary; k++)
                    OutputBiasGradient[k] += (Math.Exp(logits[k] - max) / sum - (k == target ? 1 : 0)) / positions;
            }
        }
        Loss = total / positions;
    }

    /// <summary>The mean cross-entropy over every position.</summary>
    public double Loss { get; }

    /// <summary>dLoss/d(dense/bias).</summary>
    public double[] OutputBiasGradient { get; }

    /// <summary>dense/bias before the step.</summary>
    public double[] OutputBiasBefore { get; }

    private static double[] LstmStep(double[] kernel, double[] bias, ReadOnlySpan<double> x, double[] c, double[] h)
    {
        var z = Affine(kernel, bias, x, h, 4 * Hidden);
        var next = new double[Hidden];
        for (int k = 0; k < Hidden; k++)
        {
            double i = z[k], j = z[Hidden + k], f = z[2 * Hidden + k], o = z[3 * Hidden + k];
            c[k] = c[k] * Sigmoid(f + 1) + Sigmoid(i) * Math.Tanh(j);
            next[k] = Math.Tanh(c[k]) * Sigmoid(o);
        }
        return next;
    }

    private static double[] GruStep(double[] gatesKernel, double[] gatesBias, double[] candidateKernel, double[] candidateBias, ReadOnlySpan<double> x, double[] h)
    {
        var gates = Affine(gatesKernel, gatesBias, x, h, 2 * Hidden);
        var resetH = new double[Hidden];
        for (int k = 0; k < Hidden; k++) resetH[k] = Sigmoid(gates[k]) * h[k];
        var candidate = Affine(candidateKernel, candidateBias, x, resetH, Hidden);
        var next = new double[Hidden];
        for (int k = 0; k < Hidden; k++)
        {
            double u = Sigmoid(gates[Hidden + k]);
            next[k] = u * h[k] + (1 - u) * Math.Tanh(candidate[k]);
        }
        return next;
    }

    /// <summary>[a, b]·kernel + bias for a row-major kernel [|a| + |b|, columns].</summary>
    private static double[] Affine(double[] kernel, double[] bias, ReadOnlySpan<double> a, ReadOnlySpan<double> b, int columns)
    {
        var result = (double[])bias.Clone();
        for (int r = 0; r < a.Length + b.Length; r++)
        {
            double v = r < a.Length ? a[r] : b[r - a.Length];
            for (int k = 0; k < columns; k++) result[k] += v * kernel[r * columns + k];
        }
        return result;
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
