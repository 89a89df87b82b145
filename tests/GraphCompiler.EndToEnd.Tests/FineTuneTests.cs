using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Checkpoints;
using GraphCompiler.Runtime.Reference;
using GraphCompiler.Runtime.Training;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// Transfer learning end to end: pretrain a model, save it, restore its encoder as the body of a model
/// with a new head, freeze the body and train the head, then unfreeze and train everything.
/// </summary>
public sealed class FineTuneTests : IDisposable
{
    private const int N = 32;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gc-finetune-" + Guid.NewGuid().ToString("N"));

    public FineTuneTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly float[] X = Inputs();

    private static float[] Inputs()
    {
        var random = new Random(11);
        return Enumerable.Range(0, N * 4).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    /// <summary>Task A: one smooth target per row.</summary>
    private static float[] TaskA() => Enumerable.Range(0, N).Select(i => MathF.Sin(X[4 * i] + X[4 * i + 1]) - 0.5f * X[4 * i + 2] * X[4 * i + 3]).ToArray();

    /// <summary>Task B: two targets per row, related to task A's features.</summary>
    private static float[] TaskB() => Enumerable.Range(0, N).SelectMany(i => new[] { MathF.Sin(X[4 * i] + X[4 * i + 1]), X[4 * i + 2] * X[4 * i + 3] }).ToArray();

    private static Dictionary<string, byte[]> Bytes(IModel model, string scope) =>
        model.AllVariables.Where(v => v.Name.StartsWith(scope + "/", StringComparison.Ordinal)).ToDictionary(v => v.Name, v => v.AsBytes().ToArray());

    private string Pretrained()
    {
        var a = new PretrainModel(seed: 3);
        var y = TaskA();
        float first = a.TrainStep(X, y, 0.01f), last = first;
        for (int i = 0; i < 300; i++) last = a.TrainStep(X, y, 0.01f);
        Assert.True(last < first / 2, $"pretraining did not learn: {first} -> {last}");
        return new Saver().Save(a, Path.Combine(_dir, "pretrain"), a.GlobalStep);
    }

    [Fact]
    public void Restored_body_stays_bit_identical_while_the_new_head_trains()
    {
        var checkpoint = Pretrained();
        var pretrained = new PretrainModel(seed: 99);
        new Saver().Restore(pretrained, checkpoint);

        var b = new FineTuneModel(seed: 7);
        var report = Saver.Restore(b, checkpoint, new RestoreOptions { Map = { ["encoder/"] = "body/" } });
        Assert.Equal(new[] { ("body/kernel", "encoder/kernel"), ("body/bias", "encoder/bias") }, report.Restored);
        Assert.Empty(report.Missing);
        Assert.Contains("head/kernel", report.Unused);
        Assert.Contains("encoder/kernel/Adam", report.Unused);
        Assert.Equal(0, b.GlobalStep);
        Assert.Equal(pretrained.Variables["encoder/kernel"].AsBytes().ToArray(), b.Variables["body/kernel"].AsBytes().ToArray());

        b.Freeze("body");
        Assert.Equal(new[] { "body" }, b.FrozenScopes);
        var body = Bytes(b, "body");   // the body's weights and its Adam slots
        var head = Bytes(b, "classifier");
        var y = TaskB();
        float first = b.TrainStep(X, y, 0.01f), last = first;
        for (int i = 0; i < 200; i++) last = b.TrainStep(X, y, 0.01f);

        Assert.True(last < first / 2, $"the head did not learn: {first} -> {last}");
        Assert.Equal(body, Bytes(b, "body"));
        Assert.All(head.Keys, k => Assert.NotEqual(head[k], Bytes(b, "classifier")[k]));
        Assert.Equal(201, b.GlobalStep);

        b.Unfreeze();
        Assert.Empty(b.FrozenScopes);
        for (int i = 0; i < 5; i++) b.TrainStep(X, y, 0.01f);
        var after = Bytes(b, "body");
        Assert.All(body.Keys, k => Assert.NotEqual(body[k], after[k]));
    }

    [Fact]
    public void Build_time_freeze_has_no_body_slots_and_trains_like_the_run_time_freeze()
    {
        var built = new FrozenBodyModel(seed: 5);
        var chosen = new FineTuneModel(seed: 5);
        chosen.Freeze("body/");
        Assert.DoesNotContain(((IModel)built).AllVariables.Names, n => n.StartsWith("body/kernel/", StringComparison.Ordinal) || n.StartsWith("body/bias/", StringComparison.Ordinal));
        Assert.Contains("classifier/kernel/Adam", ((IModel)built).AllVariables.Names);
        Assert.False(built.Variables["body/kernel"].Trainable);
        Assert.True(chosen.Variables["body/kernel"].Trainable);
        var body = Bytes(built, "body");
        var y = TaskB();
        for (int i = 0; i < 20; i++) Assert.Equal(chosen.TrainStep(X, y, 0.01f), built.TrainStep(X, y, 0.01f));
        Assert.Equal(body, Bytes(built, "body"));
        Assert.Equal(Bytes(chosen, "classifier"), Bytes(built, "classifier"));
    }

    [Fact]
    public void Freezing_what_has_no_train_step_names_what_is_available_and_changes_nothing()
    {
        var b = new FineTuneModel(seed: 1);
        Assert.Equal(new[] { "body", "classifier" }, FineTuneModel.FreezableScopes);
        var unknown = Assert.Throws<InvalidOperationException>(() => b.Freeze("encoder"));
        Assert.Contains("cannot freeze 'encoder' in FineTuneModel: the model has no variable or scope of that name", unknown.Message);
        Assert.Contains("the freezable scopes are: body, classifier", unknown.Message);
        var undeclared = Assert.Throws<InvalidOperationException>(() => b.Freeze("body/kernel"));
        Assert.Contains("it is a scope of the model, but no train step was generated with it frozen", undeclared.Message);

        b.Freeze("classifier");
        var everything = Assert.Throws<InvalidOperationException>(() => b.Freeze("body"));
        Assert.Contains("no train step with [body, classifier] frozen", everything.Message);
        Assert.Contains("[body], [classifier]", everything.Message);
        Assert.Equal(new[] { "classifier" }, b.FrozenScopes);

        var head = Bytes(b, "classifier");
        b.TrainStep(X, TaskB(), 0.01f);
        Assert.Equal(head, Bytes(b, "classifier"));
    }

    [Fact]
    public void A_head_of_another_shape_is_refused_naming_both_shapes()
    {
        var checkpoint = Pretrained();
        var b = new FineTuneModel(seed: 7);
        var before = Bytes(b, "body");
        var e = Assert.Throws<CheckpointException>(() => Saver.Restore(b, checkpoint, new RestoreOptions { Map = { ["encoder"] = "body", ["head"] = "classifier" } }));
        Assert.Equal(CheckpointErrorKind.Mismatch, e.Kind);
        Assert.Contains("variable 'classifier/kernel' (checkpoint tensor 'head/kernel'): shape mismatch, checkpoint [6, 1], model [6, 2]", e.Message);
        Assert.Equal(before, Bytes(b, "body"));
    }

    [Theory]
    [InlineData("", nameof(FineTuneModel.Ir.TrainStep))]
    [InlineData("body", nameof(FineTuneModel.Ir.TrainStepFreezeBody))]
    [InlineData("classifier", nameof(FineTuneModel.Ir.TrainStepFreezeClassifier))]
    public void Each_freeze_variant_agrees_with_the_interpreter_on_its_ir(string frozen, string variant)
    {
        var ir = (string)typeof(FineTuneModel.Ir).GetField(variant)!.GetValue(null)!;
        var model = new FineTuneModel(seed: 4);
        if (frozen.Length > 0) model.Freeze(frozen);
        var y = TaskB();
        for (int step = 0; step < 3; step++)
        {
            // Adam's bias-corrected step size is computed on the host and fed as the learning rate.
            var feeds = new Dictionary<string, (float[], int[])>
            {
                ["x"] = (X, new[] { N, 4 }),
                ["y"] = (y, new[] { N, 2 }),
                ["learning_rate"] = (new[] { StepScalars.AdamStepSize(0.01f, model.GlobalStep, 0.9, 0.999) }, Array.Empty<int>()),
            };
            var (outputs, updated) = ReferenceInterpreter.Run(model, ir, feeds, training: true);
            Agreement.AssertClose(outputs["loss"].Data[0], model.TrainStep(X, y, 0.01f), $"loss at step {step}");
            Agreement.AssertVariablesAgree(model, updated, $" after step {step}");
        }
    }
}
