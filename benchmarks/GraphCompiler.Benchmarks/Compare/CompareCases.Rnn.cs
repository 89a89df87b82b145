using GraphCompiler.Benchmarks.Baselines;
using GraphCompiler.Benchmarks.Models;
using GraphCompiler.Runtime;
using static GraphCompiler.Benchmarks.Models.CharRnnSizes;

namespace GraphCompiler.Benchmarks.Compare;

public static partial class CompareCases
{
    /// <summary>One Adam step of Embedding → LSTM(256) over every step → Dense, batch 64 (on request: it builds slowly).</summary>
    public const string CharLstmName = "char_lstm";

    /// <summary>The same with a GRU.</summary>
    public const string CharGruName = "char_gru";

    /// <summary>Benchmarks run only when named with <c>--only</c> (as in pytorch_reference.py): each step takes a tenth of a second or more.</summary>
    public static readonly string[] OnRequest = [CharLstmName, CharGruName];

    /// <summary>Batch rows of the agreement check: the hand-written reference runs in double precision, a few rows suffice.</summary>
    private const int CharCheckBatch = 3;

    private static CompareCase CharLstm() => CharRnn(CharLstmName, seed => new CharLstmBench(seed), (m, ids, targets, lr) => ((CharLstmBench)m).TrainStep(ids, targets, ids.Length / Steps, lr));

    private static CompareCase CharGru() => CharRnn(CharGruName, seed => new CharGruBench(seed), (m, ids, targets, lr) => ((CharGruBench)m).TrainStep(ids, targets, ids.Length / Steps, lr));

    // Both sides take at most 11 samples of these steps (a tenth of a second or more each).
    private static CompareCase CharRnn(string name, Func<ulong, IModel> create, Func<IModel, int[], int[], float, float> step)
    {
        var ids = BenchData.Labels(Batch * Steps, Vocabulary, seed: 41);
        var targets = BenchData.Labels(Batch * Steps, Vocabulary, seed: 42);
        var model = TorchInitialised(create(1));
        return new CompareCase(
            name,
            n => { for (int i = 0; i < n; i++) step(model, ids, targets, LearningRate); },
            RunBaseline: null,
            () =>
            {
                // The first step's loss against TensorFlow's cell equations written out in double precision, and its
                // Adam update of the output bias against that bias's exact gradient: TensorFlow's Adam (ε added to
                // √v before bias correction) moves each value by lr·g/(|g| + ε/√(1 − β₂)) on its first step. The
                // cells' gradients are checked against finite differences by the library's own tests.
                var fresh = TorchInitialised(create(1));
                var checkIds = ids.AsSpan(0, CharCheckBatch * Steps).ToArray();
                var checkTargets = targets.AsSpan(0, CharCheckBatch * Steps).ToArray();
                var reference = new CharRnnReference(fresh.AllVariables, name == CharLstmName, checkIds, checkTargets, CharCheckBatch);
                float loss = step(fresh, checkIds, checkTargets, LearningRate);
                var bias = ((Variable<float>)fresh.AllVariables["dense/bias"]).Data;
                var moved = new float[bias.Length];
                var expected = new float[bias.Length];
                for (int k = 0; k < bias.Length; k++)
                {
                    double g = reference.OutputBiasGradient[k];
                    moved[k] = bias[k] - (float)reference.OutputBiasBefore[k];
                    expected[k] = (float)(-LearningRate * g / (Math.Abs(g) + 1e-8 / Math.Sqrt(1 - 0.999)));
                }
                double lossDifference = Agreement.RelativeDifference(loss, reference.Loss), updateDifference = Agreement.MaxRelativeDifference(moved, expected);
                Console.Error.WriteLine($"compare: {name}: loss {loss} vs {reference.Loss:G9} in double precision; output bias update differs by {updateDifference:E2}");
                return Math.Max(lossDifference, updateDifference);
            },
            Samples: 11);
    }

    /// <summary>
    /// PyTorch's initialisation, as in pytorch_reference.py: N(0, 1) embeddings, and U(−1/√256, 1/√256) for
    /// every recurrent and output weight and bias (nn.LSTM/nn.GRU's rule, and nn.Linear's for 256 inputs).
    /// </summary>
    private static IModel TorchInitialised(IModel model)
    {
        var random = new Random(7);
        double bound = 1 / Math.Sqrt(Hidden);
        foreach (var variable in model.AllVariables)
        {
            if (!variable.Trainable || variable is not Variable<float> v) continue;
            if (v.Name.StartsWith("embedding/", StringComparison.Ordinal))
                BenchData.Normal(v.ElementCount, seed: 43).CopyTo(v.Data, 0);
            else
                for (int i = 0; i < v.Data.Length; i++) v.Data[i] = (float)((2 * random.NextDouble() - 1) * bound);
        }
        return model;
    }
}
