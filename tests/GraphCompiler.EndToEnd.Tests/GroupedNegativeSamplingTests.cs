using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// Negative sampling with noise words shared by groups of pairs, compiled by the generator: the train
/// step agrees with the reference interpreter step after step for several group shapes (one pair per
/// group included), and a step touches only the rows its pairs and noise words used.
/// </summary>
public class GroupedNegativeSamplingTests
{
    private static float[] F(int[] ids) => ids.Select(i => (float)i).ToArray();

    private static (int[] Centers, int[] Labels, int[] Negatives) Batch(int groups, int size, int k, int seed)
    {
        var random = new System.Random(seed);
        int[] Draw(int n) => Enumerable.Range(0, n).Select(_ => random.Next(GroupedNegativeSamplingModel.Classes)).ToArray();
        return (Draw(groups * size), Draw(groups * size), Draw(groups * k));
    }

    [Theory]
    [InlineData(2, 3, 2)]
    [InlineData(4, 1, 3)]
    [InlineData(1, 7, 5)]
    [InlineData(16, 8, 5)]   // the sample's shape: 128 examples, more rows than one short-row block
    [InlineData(1001, 16, 5)] // 80,080 noise logits: the loss's row kernel is split across cores by rows
    public void TrainStepsAgreeWithTheInterpreter(int groups, int size, int k)
    {
        var model = new GroupedNegativeSamplingModel(seed: 4);
        for (int step = 0; step < 3; step++)
        {
            var (centers, labels, negatives) = Batch(groups, size, k, seed: 10 * step + size);
            var feeds = new Dictionary<string, (float[], int[])>
            {
                ["centers"] = (F(centers), new[] { groups, size }),
                ["labels"] = (F(labels), new[] { groups, size }),
                ["negatives"] = (F(negatives), new[] { groups, k }),
                ["learning_rate"] = (new[] { 0.5f }, Array.Empty<int>()),
            };
            var (outputs, updated) = ReferenceInterpreter.Run(model, GroupedNegativeSamplingModel.Ir.TrainStep, feeds, training: true);
            float loss = model.TrainStep(centers, labels, negatives, groups, 0.5f);
            AssertClose(outputs["loss"].Data[0], loss, $"loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step}");
        }
    }

    [Fact]
    public void AStepUpdatesOnlyTheRowsItUsed()
    {
        var model = new GroupedNegativeSamplingModel(seed: 6);
        var variables = ((IModel)model).AllVariables;
        var before = variables.ToDictionary(v => v.Name, v => v.ToDoubleArray());
        int[] centers = [0, 3, 3, 7], labels = [1, 2, 2, 4], negatives = [8, 2];
        model.TrainStep(centers, labels, negatives, groups: 1, 0.5f);
        void Check(string name, ISet<int> used)
        {
            var after = variables[name].ToDoubleArray();
            for (int row = 0; row < GroupedNegativeSamplingModel.Classes; row++)
            {
                bool changed = Enumerable.Range(0, GroupedNegativeSamplingModel.Dim).Any(d => after[row * GroupedNegativeSamplingModel.Dim + d] != before[name][row * GroupedNegativeSamplingModel.Dim + d]);
                Assert.True(changed == used.Contains(row), $"{name} row {row}: {(changed ? "changed" : "unchanged")} but {(used.Contains(row) ? "used" : "not used")} by the step");
            }
        }
        Check("embed", centers.ToHashSet());
        Check("weights", labels.Concat(negatives).ToHashSet());
    }

    [Fact]
    public void ABatchThatIsNotWholeGroupsIsRefused()
    {
        var model = new GroupedNegativeSamplingModel(seed: 1);
        // 5 centre words cannot be 2 groups; the error names the input and its shape.
        var error = Assert.ThrowsAny<ArgumentException>(() => model.TrainStep(new int[5], new int[5], new int[4], groups: 2, 0.1f));
        Assert.Contains("centers", error.Message);
    }
}
