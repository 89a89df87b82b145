using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// NCE (with its log-uniform candidate sampler) and negative sampling compiled by the generator: the
/// generated forward pass and train step agree with the reference interpreter step after step (so the
/// interpreter reproduces the generated candidates), and a step touches only the rows it used.
/// </summary>
public class SampledLossAgreementTests
{
    private const int Batch = 6;

    private static readonly int[] Centers = { 0, 3, 3, 7, 10, 1 };
    private static readonly int[] Labels = { 1, 2, 0, 4, 5, 0, 0, 9, 2, 11, 6, 3 };
    private static readonly int[] Negatives = { 8, 8, 2, 5, 0, 9, 11, 1, 4, 2, 7, 6, 0, 4, 8, 2, 2, 5 };

    private static float[] F(int[] ids) => ids.Select(i => (float)i).ToArray();

    private static Dictionary<string, (float[], int[])> Feeds() => new()
    {
        ["centers"] = (F(Centers), new[] { Batch }),
        ["labels"] = (F(Labels), new[] { Batch, 2 }),
        ["negatives"] = (F(Negatives), new[] { Batch, 3 }),
    };

    [Fact]
    public void ForwardAndTrainStepsAgreeWithTheInterpreter()
    {
        var model = new SampledLossModel(seed: 3);
        var (nce, _) = ReferenceInterpreter.Run(model, SampledLossModel.Ir.Nce, Feeds());
        var generated = model.Nce(Centers, Labels).Data;
        for (int i = 0; i < Batch; i++) AssertClose(nce["result"].Data[i], generated[i], $"nce[{i}]");

        var feeds = Feeds();
        var firstLabels = Enumerable.Range(0, Batch).Select(i => Labels[2 * i]).ToArray();
        feeds["labels"] = (F(firstLabels), new[] { Batch });
        var (negative, _) = ReferenceInterpreter.Run(model, SampledLossModel.Ir.NegativeSampling, feeds);
        var generatedNegative = model.NegativeSampling(Centers, firstLabels, Negatives).Data;
        for (int i = 0; i < Batch; i++) AssertClose(negative["result"].Data[i], generatedNegative[i], $"negative sampling[{i}]");

        var losses = new List<float>();
        for (int step = 0; step < 4; step++)
        {
            var trainFeeds = Feeds();
            trainFeeds["learning_rate"] = (new[] { 0.5f }, Array.Empty<int>());
            var (outputs, updated) = ReferenceInterpreter.Run(model, SampledLossModel.Ir.TrainStep, trainFeeds, training: true);
            float loss = model.TrainStep(Centers, Labels, Negatives, 0.5f);
            losses.Add(loss);
            AssertClose(outputs["loss"].Data[0], loss, $"loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step}");
        }
        Assert.Equal(4, model.GlobalStep);
    }

    [Fact]
    public void TheCandidatesChangeWithTheStep()
    {
        var model = new SampledLossModel(seed: 3);
        var first = model.Nce(Centers, Labels).Data.ToArray();
        model.GlobalStep = 1;
        var second = model.Nce(Centers, Labels).Data.ToArray();
        model.GlobalStep = 0;
        Assert.Equal(first, model.Nce(Centers, Labels).Data.ToArray());
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void AStepUpdatesOnlyTheRowsItUsed()
    {
        var model = new SampledLossModel(seed: 5);
        var variables = ((IModel)model).AllVariables;
        var before = variables.ToDictionary(v => v.Name, v => v.ToDoubleArray());
        var candidates = new int[SampledLossModel.Sampled];
        Compiler.Random.LogUniformCandidates.Draw(SampledLossModel.Classes, model.Seed, SampledLossModel.SamplerSeed, 0, candidates);
        model.TrainStep(Centers, Labels, Negatives, 0.5f);

        var weightRows = Labels.Concat(Negatives).Concat(candidates).ToHashSet();
        void Check(string name, int rowLength, ISet<int> used)
        {
            var after = variables[name].ToDoubleArray();
            for (int row = 0; row < SampledLossModel.Classes; row++)
            {
                bool changed = Enumerable.Range(0, rowLength).Any(d => after[row * rowLength + d] != before[name][row * rowLength + d]);
                Assert.True(changed == used.Contains(row), $"{name} row {row}: {(changed ? "changed" : "unchanged")} but {(used.Contains(row) ? "used" : "not used")} by the step");
            }
        }
        Check("embed", SampledLossModel.Dim, Centers.ToHashSet());
        Check("weights", SampledLossModel.Dim, weightRows);
        // Biases are NCE's only: the true labels and the candidates.
        Check("biases", 1, Labels.Concat(candidates).ToHashSet());
        Assert.True(weightRows.Count < SampledLossModel.Classes || Centers.Distinct().Count() < SampledLossModel.Classes, "some rows must stay unused for the check to mean anything");
    }
}
