using GraphCompiler.Benchmarks.Baselines;
using GraphCompiler.Benchmarks.Models;
using GraphCompiler.Benchmarks.Suites;
using GraphCompiler.Runtime.Kernels;

namespace GraphCompiler.Benchmarks.Compare;

/// <summary>The benchmarks of the compare mode, by the names the PyTorch script uses.</summary>
public static partial class CompareCases
{
    /// <summary>Every benchmark's name, in the order printed, including those not built yet.</summary>
    public static readonly string[] Names = ["two_hidden_layers", Mlp784Name, "linear_regression", "sgemm_1024", SkipGramName, DigitsCnnName, Conv2DName, TinyBertName, CharLstmName, CharGruName];

    /// <summary>The MLP benchmark, compiled once the ops it needs are in the API.</summary>
    public const string Mlp784Name = "mlp_784_512_512_10";

    /// <summary>Why a listed benchmark has no case on our side.</summary>
    public const string Mlp784SkipReason =
        "model needs Relu and SparseSoftmaxCrossEntropyWithLogits, not in the op library yet; enable by renaming the three *.cs.pending files of the benchmarks project to .cs";

    /// <summary>The benchmarks that exist in this build.</summary>
    public static IReadOnlyList<CompareCase> All()
    {
        var cases = new List<CompareCase> { TwoLayers(), LinearRegression(), Sgemm(1024), SkipGram(), DigitsCnn(), Conv2D56(), TinyBertStep(), CharLstm(), CharGru() };
        AddMlp784(cases);
        return cases;
    }

    /// <summary>Implemented by the MLP suite once it is compiled.</summary>
    static partial void AddMlp784(List<CompareCase> cases);

    private static CompareCase TwoLayers()
    {
        var x = BenchData.Normal(TwoLayersModel.Batch * TwoLayersModel.Inputs, seed: 1);
        var y = BenchData.Normal(TwoLayersModel.Batch * TwoLayersModel.Outputs, seed: 2);
        var model = new TwoLayersModel(seed: 1);
        var handWritten = TwoLayersCase.HandWrittenFrom(model);
        return new CompareCase(
            "two_hidden_layers",
            steps => { for (int i = 0; i < steps; i++) model.TrainStep(x, y, TwoLayersCase.LearningRate); },
            steps => { for (int i = 0; i < steps; i++) handWritten.TrainStep(x, y, TwoLayersCase.LearningRate); },
            () =>
            {
                var fresh = new TwoLayersModel(seed: 1);
                var reference = TwoLayersCase.HandWrittenFrom(fresh);
                double worst = 0;
                for (int step = 0; step < 5; step++)
                {
                    worst = Math.Max(worst, Agreement.RelativeDifference(
                        fresh.TrainStep(x, y, TwoLayersCase.LearningRate),
                        reference.TrainStep(x, y, TwoLayersCase.LearningRate)));
                }
                return Math.Max(worst, Agreement.MaxRelativeDifference(fresh.Variables.TwoLayers.H1.Weights.Data, reference.W1));
            });
    }

    private static CompareCase LinearRegression()
    {
        float[] x = [1, 2, 3, 4], y = [0, -1, -2, -3];
        const float learningRate = 0.01f;
        // Training converges to W = −1, b = 1 within a few hundred steps; the timed steps then run at the optimum,
        // where every value is still an ordinary float (no denormals: the gradients settle around 1e−6).
        var model = new LinearRegressionModel(seed: 1);
        var handWritten = new HandWrittenLinearRegression(model.Variables.W.Data[0], model.Variables.B.Data[0]);
        return new CompareCase(
            "linear_regression",
            steps => { for (int i = 0; i < steps; i++) model.TrainStep(x, y, learningRate); },
            steps => { for (int i = 0; i < steps; i++) handWritten.TrainStep(x, y, learningRate); },
            () =>
            {
                var fresh = new LinearRegressionModel(seed: 1);
                var reference = new HandWrittenLinearRegression(fresh.Variables.W.Data[0], fresh.Variables.B.Data[0]);
                double worst = 0;
                for (int step = 0; step < 20; step++)
                    worst = Math.Max(worst, Agreement.RelativeDifference(fresh.TrainStep(x, y, learningRate), reference.TrainStep(x, y, learningRate)));
                return Math.Max(worst, Agreement.RelativeDifference(fresh.Variables.W.Data[0], reference.W));
            });
    }

    private static CompareCase Sgemm(int n)
    {
        var a = BenchData.Normal(n * n, seed: 11);
        var b = BenchData.Normal(n * n, seed: 12);
        var c = new float[n * n];
        return new CompareCase(
            $"sgemm_{n}",
            steps => { for (int i = 0; i < steps; i++) Gemm.Sgemm(false, false, n, n, n, 1f, a, n, b, n, 0f, c, n); },
            RunBaseline: null,
            () =>
            {
                // The triple loop at n = 1024 takes seconds; a smaller product exercises the same kernel paths.
                const int checkN = 192;
                var ca = BenchData.Normal(checkN * checkN, seed: 13);
                var cb = BenchData.Normal(checkN * checkN, seed: 14);
                float[] ours = new float[checkN * checkN], naive = new float[checkN * checkN];
                Gemm.Sgemm(false, false, checkN, checkN, checkN, 1f, ca, checkN, cb, checkN, 0f, ours, checkN);
                NaiveSgemm.Multiply(ca, cb, naive, checkN);
                return Agreement.MaxRelativeDifference(ours, naive);
            },
            FlopsPerStep: 2.0 * n * n * n);
    }
}
