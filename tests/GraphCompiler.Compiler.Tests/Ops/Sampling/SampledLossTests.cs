using SampledLosses = GraphCompiler.Compiler.Ops.Composites.Sampling;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Random;
using GraphCompiler.Compiler.Reference;

namespace GraphCompiler.Compiler.Tests.Ops.Sampling;

/// <summary>
/// The log-uniform candidate sampler's distribution and uniqueness, and the sampled losses of the
/// interpreter against direct implementations of TensorFlow's and word2vec's formulas.
/// </summary>
public class SampledLossTests
{
    private static double LogUniform(int k, int range) => Math.Log((k + 2.0) / (k + 1.0)) / Math.Log(range + 1.0);

    private static double Softplus(double x) => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x)));

    [Fact]
    public void SingleDrawsFollowTheLogUniformDistribution()
    {
        const int range = 10, steps = 20000;
        var counts = new int[range];
        var one = new int[1];
        for (ulong step = 0; step < steps; step++)
        {
            Assert.Equal(1, LogUniformCandidates.Draw(range, 3, 41, step, one));
            counts[one[0]]++;
        }
        double chiSquare = 0;
        for (int k = 0; k < range; k++)
        {
            double expected = steps * LogUniform(k, range);
            chiSquare += (counts[k] - expected) * (counts[k] - expected) / expected;
        }
        // 9 degrees of freedom: 27.88 is the 0.999 quantile.
        Assert.True(chiSquare < 27.88, $"chi-square {chiSquare:F2} over counts [{string.Join(", ", counts)}]");
    }

    [Fact]
    public void UniqueSamplesAreDistinctInRangeAndReproducible()
    {
        for (ulong step = 0; step < 50; step++)
        {
            var ids = new int[8];
            int tries = LogUniformCandidates.Draw(10, 9, 2, step, ids);
            Assert.True(tries >= 8);
            Assert.Equal(8, ids.Distinct().Count());
            Assert.All(ids, id => Assert.InRange(id, 0, 9));
            var again = new int[8];
            Assert.Equal(tries, LogUniformCandidates.Draw(10, 9, 2, step, again));
            Assert.Equal(ids, again);
        }
        var first = new int[8];
        var other = new int[8];
        LogUniformCandidates.Draw(1000, 9, 2, 0, first);
        LogUniformCandidates.Draw(1000, 9, 2, 1, other);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void DrawingMoreThanTheRangeIsRefused() =>
        Assert.Throws<ArgumentException>(() => LogUniformCandidates.Draw(3, 0, 0, 0, new int[4]));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void NceLossMatchesADirectImplementation(bool removeHits)
    {
        const int classes = 7, dim = 3, batch = 4, numTrue = 2, sampled = 4;
        const long opSeed = 13;
        var rng = new System.Random(5);
        double[] Rand(int n) => Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        double[] w = Rand(classes * dim), bias = Rand(classes), x = Rand(batch * dim);
        // Frequent ids as labels, so that accidental hits occur.
        int[] labels = { 0, 1, 2, 0, 1, 3, 0, 6 };

        var b = new GraphBuilder("nce");
        var loss = SampledLosses.NceLoss(b,
            b.Input("w", DType.Float64, Shape.Of(classes, dim)), b.Input("b", DType.Float64, Shape.Of(classes)),
            b.Input("labels", DType.Int32, Shape.Of(batch, numTrue)), b.Input("x", DType.Float64, Shape.Of(batch, dim)),
            sampled, classes, numTrue, removeHits, opSeed);
        b.AddOutput("loss", loss);
        var run = new RunContext(true, 21, 8);
        var feeds = new Dictionary<string, RefTensor>
        {
            ["w"] = new(DType.Float64, new[] { classes, dim }, w),
            ["b"] = new(DType.Float64, new[] { classes }, bias),
            ["labels"] = new(DType.Int32, new[] { batch, numTrue }, labels.Select(l => (double)l).ToArray()),
            ["x"] = new(DType.Float64, new[] { batch, dim }, x),
        };
        var actual = Interpreter.Outputs(b.Build(), feeds, new Dictionary<string, RefTensor>(), run)["loss"].Data;

        var ids = new int[sampled];
        int tries = LogUniformCandidates.Draw(classes, 21, opSeed, 8, ids);
        double Q(int k) => tries == sampled ? LogUniform(k, classes) * sampled : 1 - Math.Pow(1 - LogUniform(k, classes), tries);
        double Logit(int example, int k) =>
            Enumerable.Range(0, dim).Sum(d => x[example * dim + d] * w[k * dim + d]) + bias[k] - Math.Log(Q(k));
        int hits = 0;
        for (int e = 0; e < batch; e++)
        {
            var trueIds = labels.Skip(e * numTrue).Take(numTrue).ToArray();
            double expected = trueIds.Sum(k => Softplus(Logit(e, k)) - Logit(e, k) / numTrue);
            foreach (int s in ids)
            {
                bool hit = trueIds.Contains(s);
                hits += hit ? 1 : 0;
                if (!(removeHits && hit)) expected += Softplus(Logit(e, s));
            }
            Assert.True(Math.Abs(expected - actual[e]) < 1e-9, $"example {e}: reference {expected}, interpreter {actual[e]}");
        }
        Assert.True(hits > 0, "the labels should collide with some candidates, or accidental hits go untested");
    }

    [Fact]
    public void NegativeSamplingLossMatchesADirectImplementation()
    {
        const int classes = 6, dim = 3, batch = 3, k = 2;
        var rng = new System.Random(8);
        double[] Rand(int n) => Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        double[] w = Rand(classes * dim), x = Rand(batch * dim);
        int[] labels = { 4, 0, 2 };
        int[] negatives = { 1, 5, 3, 3, 0, 4 };
        var b = new GraphBuilder("ns");
        b.AddOutput("loss", SampledLosses.NegativeSamplingLoss(b,
            b.Input("w", DType.Float64, Shape.Of(classes, dim)), b.Input("labels", DType.Int32, Shape.Of(batch)),
            b.Input("negatives", DType.Int32, Shape.Of(batch, k)), b.Input("x", DType.Float64, Shape.Of(batch, dim))));
        var feeds = new Dictionary<string, RefTensor>
        {
            ["w"] = new(DType.Float64, new[] { classes, dim }, w),
            ["labels"] = new(DType.Int32, new[] { batch }, labels.Select(l => (double)l).ToArray()),
            ["negatives"] = new(DType.Int32, new[] { batch, k }, negatives.Select(l => (double)l).ToArray()),
            ["x"] = new(DType.Float64, new[] { batch, dim }, x),
        };
        var actual = Interpreter.Outputs(b.Build(), feeds, new Dictionary<string, RefTensor>())["loss"].Data;
        double Dot(int e, int c) => Enumerable.Range(0, dim).Sum(d => x[e * dim + d] * w[c * dim + d]);
        double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
        for (int e = 0; e < batch; e++)
        {
            double expected = -Math.Log(Sigmoid(Dot(e, labels[e])));
            for (int j = 0; j < k; j++) expected -= Math.Log(Sigmoid(-Dot(e, negatives[e * k + j])));
            Assert.True(Math.Abs(expected - actual[e]) < 1e-12, $"example {e}: reference {expected}, interpreter {actual[e]}");
        }
    }

    [Fact]
    public void GroupedNegativeSamplingLossSharesEachGroupsNoiseWords()
    {
        const int classes = 7, dim = 4, groups = 2, size = 3, k = 2;
        var rng = new System.Random(11);
        double[] Rand(int n) => Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        double[] w = Rand(classes * dim), x = Rand(groups * size * dim);
        int[] labels = { 4, 0, 2, 6, 6, 1 };
        int[] negatives = { 1, 5, 3, 3 };
        var b = new GraphBuilder("ns_grouped");
        var loss = SampledLosses.NegativeSamplingLoss(b,
            b.Input("w", DType.Float64, Shape.Of(classes, dim)), b.Input("labels", DType.Int32, Shape.Of(groups, size)),
            b.Input("negatives", DType.Int32, Shape.Of(groups, k)), b.Input("x", DType.Float64, Shape.Of(groups, size, dim)));
        Assert.Equal(Shape.Of(groups, size), loss.Shape);
        b.AddOutput("loss", loss);
        var feeds = new Dictionary<string, RefTensor>
        {
            ["w"] = new(DType.Float64, new[] { classes, dim }, w),
            ["labels"] = new(DType.Int32, new[] { groups, size }, labels.Select(l => (double)l).ToArray()),
            ["negatives"] = new(DType.Int32, new[] { groups, k }, negatives.Select(l => (double)l).ToArray()),
            ["x"] = new(DType.Float64, new[] { groups, size, dim }, x),
        };
        var actual = Interpreter.Outputs(b.Build(), feeds, new Dictionary<string, RefTensor>())["loss"].Data;
        double Dot(int e, int c) => Enumerable.Range(0, dim).Sum(d => x[e * dim + d] * w[c * dim + d]);
        double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
        for (int e = 0; e < groups * size; e++)
        {
            double expected = -Math.Log(Sigmoid(Dot(e, labels[e])));
            for (int j = 0; j < k; j++) expected -= Math.Log(Sigmoid(-Dot(e, negatives[e / size * k + j])));
            Assert.True(Math.Abs(expected - actual[e]) < 1e-12, $"example {e}: reference {expected}, interpreter {actual[e]}");
        }
    }

    [Theory]
    [InlineData(new[] { 2, 4 }, new[] { 2, 3 }, new[] { 2, 2 }, "inputs must be [batch, dim], or [groups, size, dim]")]
    [InlineData(new[] { 2, 3, 3 }, new[] { 2, 2 }, new[] { 2, 2 }, "labels must be int32/int64 [2, 3]")]
    [InlineData(new[] { 2, 3, 3 }, new[] { 2, 3 }, new[] { 3, 2 }, "negatives must be int32/int64 [groups, k] with groups = 2")]
    public void GroupedNegativeSamplingLossNamesTheMisshapenOperand(int[] inputs, int[] labels, int[] negatives, string message)
    {
        var b = new GraphBuilder("bad");
        var error = Assert.Throws<ShapeException>(() => SampledLosses.NegativeSamplingLoss(b,
            b.Input("w", DType.Float32, Shape.Of(5, 3)), b.Input("labels", DType.Int32, Shape.Of(labels)),
            b.Input("negatives", DType.Int32, Shape.Of(negatives)), b.Input("x", DType.Float32, Shape.Of(inputs))));
        Assert.Contains(message, error.Message);
    }
}
