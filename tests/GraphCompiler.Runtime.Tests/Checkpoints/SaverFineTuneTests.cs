using GraphCompiler.Runtime.Checkpoints;

namespace GraphCompiler.Runtime.Tests.Checkpoints;

/// <summary><see cref="Saver.Restore(IModel, string, RestoreOptions)"/>: a renamed subset of another model's checkpoint.</summary>
public sealed class SaverFineTuneTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A pretrained model: an encoder with an Adam slot, a head, saved at step 50.</summary>
    private string Pretrained()
    {
        var model = new TestModel();
        model.Add<float>("encoder/dense/kernel", 3, 4);
        model.Variables.Register(new Variable<float>("encoder/dense/kernel/Adam", [3, 4], trainable: false));
        model.Add<float>("encoder/dense/bias", 4);
        model.Add<float>("head/kernel", 4, 1);
        model.Fill(salt: 1);
        model.GlobalStep = 50;
        return new Saver().Save(model, _dir.File("pretrained"), 50);
    }

    private static TestModel FineTune(int headUnits = 2)
    {
        var model = new TestModel();
        model.Add<float>("body/dense/kernel", 3, 4);
        model.Variables.Register(new Variable<float>("body/dense/kernel/Adam", [3, 4], trainable: false));
        model.Add<float>("body/dense/bias", 4);
        model.Add<float>("classifier/kernel", 4, headUnits);
        model.Fill(salt: 2);
        return model;
    }

    [Fact]
    public void A_scope_map_restores_exactly_the_mapped_scope_under_its_new_name_and_reports_it()
    {
        var path = Pretrained();
        var source = SafeTensorsFile.Read(path + ".safetensors");
        var model = FineTune();
        var untouched = model.Snapshot();

        var report = Saver.Restore(model, path, new RestoreOptions { Map = { ["encoder/"] = "body/" } });

        Assert.Equal(new[] { ("body/dense/kernel", "encoder/dense/kernel"), ("body/dense/bias", "encoder/dense/bias") }, report.Restored);
        Assert.Empty(report.Missing);
        Assert.Equal(new[] { "encoder/dense/kernel/Adam", "head/kernel" }, report.Unused);
        Assert.True(source.TryGet("encoder/dense/kernel", out var kernel));
        Assert.Equal(kernel.Data.ToArray(), model.Variables["body/dense/kernel"].AsBytes().ToArray());
        // The slot, the new head and the step are left alone.
        foreach (var name in new[] { "body/dense/kernel/Adam", "classifier/kernel" })
            Assert.Equal(untouched[name], model.Variables[name].AsBytes().ToArray());
        Assert.Equal(0, model.GlobalStep);
        Assert.Contains("body/dense/kernel <- encoder/dense/kernel", report.ToString());
    }

    [Fact]
    public void Slots_and_the_global_step_come_along_when_asked_for()
    {
        var path = Pretrained();
        var model = FineTune();
        var report = Saver.Restore(model, path, new RestoreOptions { Map = { ["encoder"] = "body" }, IncludeOptimizerSlots = true, RestoreGlobalStep = true });
        Assert.Contains(("body/dense/kernel/Adam", "encoder/dense/kernel/Adam"), report.Restored);
        Assert.Equal(50, model.GlobalStep);
    }

    [Fact]
    public void A_missing_tensor_is_an_error_naming_the_variable_unless_allowed()
    {
        var path = Pretrained();
        var model = FineTune();
        var before = model.Snapshot();
        var options = new RestoreOptions { Map = { ["encoder"] = "body" }, Only = { "body", "classifier" } };
        var e = Assert.Throws<CheckpointException>(() => Saver.Restore(model, path, options));
        Assert.Equal(CheckpointErrorKind.Mismatch, e.Kind);
        Assert.Contains("variable 'classifier/kernel' (F32 [4, 2]) is missing from the checkpoint", e.Message);
        Assert.Equal(before, model.Snapshot());

        var report = Saver.Restore(model, path, new RestoreOptions { Map = { ["encoder"] = "body" }, Only = { "body", "classifier" }, AllowMissing = true });
        Assert.Equal(new[] { "classifier/kernel" }, report.Missing);
        Assert.Equal(2, report.Restored.Count);
    }

    [Fact]
    public void A_shape_mismatch_names_the_variable_its_tensor_and_both_shapes_and_changes_nothing()
    {
        var path = Pretrained();
        var model = FineTune(headUnits: 3);
        var before = model.Snapshot();
        var e = Assert.Throws<CheckpointException>(() => Saver.Restore(model, path, new RestoreOptions { Map = { ["encoder"] = "body", ["head"] = "classifier" } }));
        Assert.Contains("variable 'classifier/kernel' (checkpoint tensor 'head/kernel'): shape mismatch, checkpoint [4, 1], model [4, 3]", e.Message);
        Assert.Equal(before, model.Snapshot());
    }

    [Fact]
    public void A_scope_the_model_does_not_have_names_the_scopes_it_has()
    {
        var path = Pretrained();
        var e = Assert.Throws<ArgumentException>(() => Saver.Restore(FineTune(), path, new RestoreOptions { Only = { "bod" } }));
        Assert.Contains("'bod' matches no variable of TestModel; its top-level scopes and variables are: body, classifier", e.Message);
        Assert.Throws<ArgumentException>(() => Saver.Restore(FineTune(), path, new RestoreOptions { Map = { ["encoder"] = "/" } }));
    }

    [Fact]
    public void Without_options_naming_a_subset_every_variable_with_a_tensor_of_its_name_is_restored()
    {
        var path = Pretrained();
        var model = new TestModel();
        model.Add<float>("head/kernel", 4, 1);
        model.Add<float>("extra", 2);
        var report = Saver.Restore(model, path, new RestoreOptions { AllowMissing = true });
        Assert.Equal(new[] { ("head/kernel", "head/kernel") }, report.Restored);
        Assert.Equal(new[] { "extra" }, report.Missing);
    }
}
