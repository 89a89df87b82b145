using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests.Recurrent;

/// <summary>
/// TensorFlow's LSTM, GRU and basic RNN cells unrolled by <c>Rnn.StaticRnn</c>: the generated code against
/// hand-written double-precision references of TensorFlow's equations, with sequences shorter than the
/// batch's longest (outputs zero and the state carried through past a sequence's length).
/// </summary>
public class RecurrentCellTests
{
    internal const int Steps = 4, Features = 3;
    internal static readonly int[] Lengths = [2, 4];

    internal static float[] RandomData(int count, int seed, double scale = 1)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale)).ToArray();
    }

    /// <summary>Every trainable variable set to values in [-0.5, 0.5), biases included, so no term of a cell is zero.</summary>
    internal static void Randomize(IModel model, int seed)
    {
        var rng = new Random(seed);
        foreach (var v in model.AllVariables.Where(v => v.Trainable).Cast<Variable<float>>())
            v.Assign(Enumerable.Range(0, v.ElementCount).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray());
    }

    internal static double[] Data(IModel model, string name) => model.AllVariables[name].ToDoubleArray();

    private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));

    /// <summary>[x, h]·kernel + bias for one example, kernel [in + units, columns].</summary>
    private static double[] Affine(double[] x, double[] h, double[] kernel, double[] bias)
    {
        int columns = bias.Length;
        var z = (double[])bias.Clone();
        var xh = x.Concat(h).ToArray();
        for (int r = 0; r < xh.Length; r++)
            for (int c = 0; c < columns; c++) z[c] += xh[r] * kernel[r * columns + c];
        return z;
    }

    private static double[] Step(float[] x, int example, int t) =>
        Enumerable.Range(0, Features).Select(f => (double)x[(example * Steps + t) * Features + f]).ToArray();

    /// <summary>TensorFlow's BasicLSTMCell (gates i, j, f, o; forget bias 1) under static_rnn with sequence lengths.</summary>
    internal static (double[][] Outputs, double[] C, double[] H) LstmReference(IModel model, float[] x, int example, int length)
    {
        const int units = 5;
        var (kernel, bias) = (Data(model, "rnn/basic_lstm_cell/kernel"), Data(model, "rnn/basic_lstm_cell/bias"));
        var (c, h) = (new double[units], new double[units]);
        var outputs = new double[Steps][];
        for (int t = 0; t < Steps; t++)
        {
            if (t >= length)
            {
                outputs[t] = new double[units];
                continue;
            }
            var z = Affine(Step(x, example, t), h, kernel, bias);
            for (int u = 0; u < units; u++)
            {
                double i = z[u], j = z[units + u], f = z[2 * units + u], o = z[3 * units + u];
                c[u] = c[u] * Sigmoid(f + 1.0) + Sigmoid(i) * Math.Tanh(j);
                h[u] = Math.Tanh(c[u]) * Sigmoid(o);
            }
            outputs[t] = (double[])h.Clone();
        }
        return (outputs, c, h);
    }

    /// <summary>MultiRNNCell([BasicRNNCell(4), GRUCell(5)]) with TensorFlow's GRU equations, under static_rnn with sequence lengths.</summary>
    internal static (double[][] Outputs, double[] H0, double[] H1) GruReference(IModel model, float[] x, int example, int length)
    {
        const string multi = "rnn/multi_rnn_cell/";
        var (k0, b0) = (Data(model, multi + "cell_0/basic_rnn_cell/kernel"), Data(model, multi + "cell_0/basic_rnn_cell/bias"));
        var (gk, gb) = (Data(model, multi + "cell_1/gru_cell/gates/kernel"), Data(model, multi + "cell_1/gru_cell/gates/bias"));
        var (ck, cb) = (Data(model, multi + "cell_1/gru_cell/candidate/kernel"), Data(model, multi + "cell_1/gru_cell/candidate/bias"));
        var (h0, h1) = (new double[4], new double[5]);
        var outputs = new double[Steps][];
        for (int t = 0; t < Steps; t++)
        {
            if (t >= length)
            {
                outputs[t] = new double[5];
                continue;
            }
            h0 = Affine(Step(x, example, t), h0, k0, b0).Select(Math.Tanh).ToArray();
            var value = Affine(h0, h1, gk, gb).Select(Sigmoid).ToArray();
            var (r, u) = (value[..5], value[5..]);
            var candidate = Affine(h0, h1.Select((v, i) => r[i] * v).ToArray(), ck, cb).Select(Math.Tanh).ToArray();
            h1 = h1.Select((v, i) => u[i] * v + (1 - u[i]) * candidate[i]).ToArray();
            outputs[t] = (double[])h1.Clone();
        }
        return (outputs, h0, h1);
    }

    [Fact]
    public void TheLstmCellFollowsTensorFlowsEquations()
    {
        var model = new LstmRnnModel(seed: 1);
        Assert.Equal(new[] { "rnn/basic_lstm_cell/kernel [8, 20]", "rnn/basic_lstm_cell/bias [20]" },
            ((IModel)model).AllVariables.Where(v => v.Trainable).Select(v => $"{v.Name} {v.ShapeText}"));
        Randomize(model, 2);
        var x = RandomData(2 * Steps * Features, 3);
        var outputs = model.Outputs(x, Lengths);
        var state = model.FinalState(x, Lengths);
        Assert.Equal(new[] { 2, Steps, 5 }, outputs.Shape);
        Assert.Equal(new[] { 2, 2, 5 }, state.Shape);
        for (int b = 0; b < 2; b++)
        {
            var (expected, c, h) = LstmReference(model, x, b, Lengths[b]);
            for (int t = 0; t < Steps; t++)
                for (int u = 0; u < 5; u++) AssertClose(expected[t][u], outputs.Data[(b * Steps + t) * 5 + u], $"output[{b}, {t}, {u}]");
            for (int u = 0; u < 5; u++)
            {
                AssertClose(c[u], state.Data[(0 * 2 + b) * 5 + u], $"c[{b}, {u}]");
                AssertClose(h[u], state.Data[(1 * 2 + b) * 5 + u], $"h[{b}, {u}]");
            }
        }
    }

    [Fact]
    public void TheGruCellFollowsTensorFlowsEquationsInAMultiCell()
    {
        var model = new GruRnnModel(seed: 1);
        Assert.Equal(new[]
        {
            "rnn/multi_rnn_cell/cell_0/basic_rnn_cell/kernel [7, 4]", "rnn/multi_rnn_cell/cell_0/basic_rnn_cell/bias [4]",
            "rnn/multi_rnn_cell/cell_1/gru_cell/gates/kernel [9, 10]", "rnn/multi_rnn_cell/cell_1/gru_cell/gates/bias [10]",
            "rnn/multi_rnn_cell/cell_1/gru_cell/candidate/kernel [9, 5]", "rnn/multi_rnn_cell/cell_1/gru_cell/candidate/bias [5]",
        }, ((IModel)model).AllVariables.Where(v => v.Trainable).Select(v => $"{v.Name} {v.ShapeText}"));
        // TensorFlow's initial GRU gate bias is 1 (the gates start open towards keeping the state).
        Assert.All(model.Variables.Rnn.MultiRnnCell.Cell1.GruCell.Gates.Bias.Data, v => Assert.Equal(1f, v));
        Randomize(model, 4);
        var x = RandomData(2 * Steps * Features, 5);
        var outputs = model.Outputs(x, Lengths);
        for (int b = 0; b < 2; b++)
        {
            var (expected, _, _) = GruReference(model, x, b, Lengths[b]);
            for (int t = 0; t < Steps; t++)
                for (int u = 0; u < 5; u++) AssertClose(expected[t][u], outputs.Data[(b * Steps + t) * 5 + u], $"output[{b}, {t}, {u}]");
        }
        // The cells called step by step (cell.Call) compute what the unrolled, hoisted run computes.
        var steppedModel = new GruSteppedModel(seed: 9);
        foreach (var v in ((IModel)steppedModel).AllVariables.Cast<Variable<float>>()) v.Assign(((Variable<float>)((IModel)model).AllVariables[v.Name]).Data);
        var stepped = steppedModel.Stepped(x);
        var full = model.Outputs(x, [Steps, Steps]);
        for (int i = 0; i < full.Data.Length; i++) AssertClose(full.Data[i], stepped.Data[i], $"stepped[{i}]");
    }

    [Fact]
    public void MaskedStepsLeaveTheStateUnchangedAndOutputZero()
    {
        var model = new LstmRnnModel(seed: 6);
        Randomize(model, 7);
        var x = RandomData(2 * Steps * Features, 8);
        var outputs = model.Outputs(x, Lengths);
        var state = model.FinalState(x, Lengths);
        // Example 0 has 2 real steps: outputs 2 and 3 are zero, and its final h is its output at step 1.
        for (int t = Lengths[0]; t < Steps; t++)
            for (int u = 0; u < 5; u++) Assert.Equal(0f, outputs.Data[t * 5 + u]);
        for (int u = 0; u < 5; u++) Assert.Equal(outputs.Data[(Lengths[0] - 1) * 5 + u], state.Data[10 + u]);
        // Whatever the padded steps hold, nothing of example 0 changes.
        var padded = (float[])x.Clone();
        for (int i = Lengths[0] * Features; i < Steps * Features; i++) padded[i] = 100f + i;
        var again = model.FinalState(padded, Lengths);
        for (int u = 0; u < 5; u++)
        {
            Assert.Equal(state.Data[u], again.Data[u]);
            Assert.Equal(state.Data[10 + u], again.Data[10 + u]);
        }
    }
}
