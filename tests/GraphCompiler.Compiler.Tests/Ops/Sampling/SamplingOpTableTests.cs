using SampledLosses = GraphCompiler.Compiler.Ops.Composites.Sampling;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops.Composites;

namespace GraphCompiler.Compiler.Tests.Ops.Sampling;

/// <summary>
/// The sampled losses' rows of the op table: finite-difference gradients w.r.t. the weights, biases
/// and inputs, with the candidates of the interpreter's fixed context (graph seed 0, step 0).
/// </summary>
public class SamplingOpTableTests
{
    private static Node Ints(GraphBuilder b, int[] values, params int[] shape) =>
        b.Constant(values.Select(v => (double)v).ToArray(), Shape.Of(shape), DType.Int32);

    public static readonly OpTableTests.Case[] Cases =
    {
        // weights [6, 3], biases [6], inputs [2, 3]; two true labels per example, hits removed.
        new("nce_loss", new[] { new[] { 6, 3 }, new[] { 6 }, new[] { 2, 3 } },
            (b, x) => SampledLosses.NceLoss(b, x[0], x[1], Ints(b, new[] { 1, 4, 0, 5 }, 2, 2), x[2], numSampled: 3, numClasses: 6, numTrue: 2, removeAccidentalHits: true, seed: 5)),
        new("nce_loss_one_true", new[] { new[] { 8, 2 }, new[] { 8 }, new[] { 3, 2 } },
            (b, x) => SampledLosses.NceLoss(b, x[0], x[1], Ints(b, new[] { 2, 0, 7 }, 3, 1), x[2], numSampled: 4, numClasses: 8, numTrue: 1, removeAccidentalHits: false, seed: 9)),
        new("negative_sampling_loss", new[] { new[] { 5, 3 }, new[] { 2, 3 } },
            (b, x) => SampledLosses.NegativeSamplingLoss(b, x[0], Ints(b, new[] { 3, 1 }, 2), Ints(b, new[] { 0, 4, 4, 2 }, 2, 2), x[1])),
        // Grouped: 2 groups of 3 examples, each group sharing 2 noise words (one repeated, one a group's label).
        new("negative_sampling_loss_grouped", new[] { new[] { 5, 3 }, new[] { 2, 3, 3 } },
            (b, x) => SampledLosses.NegativeSamplingLoss(b, x[0], Ints(b, new[] { 3, 1, 3, 0, 2, 4 }, 2, 3), Ints(b, new[] { 4, 4, 1, 2 }, 2, 2), x[1])),
    };

    public static IEnumerable<object[]> Names => Cases.Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(Names))]
    public void GradientMatchesFiniteDifferences(string name) => OpTableTests.CheckGradient(Cases.Single(c => c.Name == name));
}
