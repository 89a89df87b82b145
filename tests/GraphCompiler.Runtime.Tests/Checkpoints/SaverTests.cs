using GraphCompiler.Runtime.Checkpoints;

namespace GraphCompiler.Runtime.Tests.Checkpoints;

public sealed class SaverTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static TestModel AllKinds()
    {
        var model = new TestModel();
        model.Add<float>("two_layers/h1/weights", 3, 5);
        model.Add<float>("two_layers/h1/biases", 5);
        model.Add<double>("stats/mean", 7);
        model.Add<int>("counts", 2, 0);
        model.Add<long>("ids", 3);
        model.Add<bool>("mask", 11);
        model.Add<float>("scale");
        return model;
    }

    [Fact]
    public void Save_then_restore_into_a_fresh_model_gives_identical_variables_and_step()
    {
        var model = AllKinds();
        model.Fill(salt: 5);
        model.GlobalStep = 1234;
        var saved = model.Snapshot();
        var path = new Saver().Save(model, Path.Combine(_dir.Path, "model"), 1234);

        Assert.Equal(Path.Combine(_dir.Path, "model-1234"), path);
        Assert.True(File.Exists(path + ".safetensors"));

        var fresh = AllKinds();
        new Saver().Restore(fresh, path);
        Assert.Equal(1234, fresh.GlobalStep);
        Assert.Equal(saved, fresh.Snapshot());
    }

    [Fact]
    public void File_holds_every_variable_under_its_full_name_plus_global_step_and_metadata()
    {
        var model = AllKinds();
        model.GlobalStep = 42;
        var path = new Saver().Save(model, Path.Combine(_dir.Path, "m"));
        Assert.Equal(Path.Combine(_dir.Path, "m"), path);

        var file = SafeTensorsFile.Read(path + ".safetensors");
        Assert.Equal(model.Variables.Names.Append("global_step").Order(), file.Tensors.Select(t => t.Name).Order());
        Assert.True(file.TryGet("global_step", out var step));
        Assert.Equal(DType.Int64, step.DType);
        Assert.Empty(step.Shape);
        Assert.Equal(42, BitConverter.ToInt64(step.Data));
        Assert.Equal(Saver.FormatVersion, file.Metadata["format_version"]);
        Assert.True(DateTime.TryParse(file.Metadata["created_utc"], out _));
    }

    [Fact]
    public void Metadata_given_to_save_is_read_back_beside_the_savers_own_keys()
    {
        var model = AllKinds();
        model.GlobalStep = 7;
        var path = new Saver().Save(model, _dir.File("meta"), 7, new Dictionary<string, string> { ["epoch"] = "3", ["vocabulary_sha256"] = "ab12" });

        var metadata = Saver.ReadMetadata(path);
        Assert.Equal("3", metadata["epoch"]);
        Assert.Equal("ab12", metadata["vocabulary_sha256"]);
        Assert.Equal("7", metadata["global_step"]);
        Assert.Throws<ArgumentException>(() => new Saver().Save(model, _dir.File("meta"), 8, new Dictionary<string, string> { ["global_step"] = "1" }));
        Assert.Throws<CheckpointException>(() => Saver.ReadMetadata(_dir.File("missing")));
    }

    [Fact]
    public void A_variable_named_global_step_is_saved_as_itself_and_no_extra_tensor_is_added()
    {
        var model = new TestModel();
        var step = model.Add<long>("global_step");
        step.Data[0] = 77;
        model.GlobalStep = 5;
        var path = new Saver().Save(model, _dir.File("g"), 5);
        var file = SafeTensorsFile.Read(path + ".safetensors");
        Assert.Single(file.Tensors);
        Assert.Equal(77, BitConverter.ToInt64(file.Tensors[0].Data));

        var fresh = new TestModel();
        fresh.Add<long>("global_step");
        new Saver().Restore(fresh, path);
        Assert.Equal(77, ((Variable<long>)fresh.Variables["global_step"]).Data[0]);
    }

    [Fact]
    public void State_file_content_is_exactly_tensorflows_text_form()
    {
        var model = AllKinds();
        var saver = new Saver();
        var prefix = Path.Combine(_dir.Path, "skip-gram");
        saver.Save(model, prefix, 3000);
        saver.Save(model, prefix, 4000);
        Assert.Equal(
            "model_checkpoint_path: \"skip-gram-4000\"\n" +
            "all_model_checkpoint_paths: \"skip-gram-3000\"\n" +
            "all_model_checkpoint_paths: \"skip-gram-4000\"\n",
            File.ReadAllText(_dir.File("checkpoint")));
        Assert.Equal(Path.Combine(_dir.Path, "skip-gram-4000"), Saver.LatestCheckpoint(_dir.Path));
    }

    [Fact]
    public void Max_to_keep_deletes_the_oldest_files_and_lists_only_the_kept()
    {
        var model = AllKinds();
        var saver = new Saver(new SaverOptions { MaxToKeep = 2 });
        var prefix = Path.Combine(_dir.Path, "run");
        for (long step = 1; step <= 5; step++) saver.Save(model, prefix, step * 10);

        Assert.Equal(["run-40.safetensors", "run-50.safetensors"], Directory.GetFiles(_dir.Path, "*.safetensors").Select(Path.GetFileName).Order());
        var state = CheckpointState.Read(_dir.Path)!;
        Assert.Equal("run-50", state.ModelCheckpointPath);
        Assert.Equal(["run-40", "run-50"], state.AllModelCheckpointPaths);
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp"));
    }

    [Fact]
    public void Default_keeps_five_and_zero_keeps_all()
    {
        var model = AllKinds();
        var five = new Saver();
        for (long step = 1; step <= 7; step++) five.Save(model, _dir.File("a"), step);
        Assert.Equal(5, Directory.GetFiles(_dir.Path, "a-*.safetensors").Length);
        Assert.False(File.Exists(_dir.File("a-2.safetensors")));
        Assert.True(File.Exists(_dir.File("a-3.safetensors")));

        using var other = new TempDirectory();
        var all = new Saver(new SaverOptions { MaxToKeep = 0 });
        for (long step = 1; step <= 7; step++) all.Save(model, Path.Combine(other.Path, "b"), step);
        Assert.Equal(7, Directory.GetFiles(other.Path, "*.safetensors").Length);
        Assert.Equal(7, CheckpointState.Read(other.Path)!.AllModelCheckpointPaths.Count);
    }

    [Fact]
    public void A_new_saver_continues_the_kept_list_of_the_directory()
    {
        var model = AllKinds();
        var options = new SaverOptions { MaxToKeep = 2 };
        new Saver(options).Save(model, _dir.File("r"), 1);
        new Saver(options).Save(model, _dir.File("r"), 2);
        new Saver(options).Save(model, _dir.File("r"), 3);
        Assert.False(File.Exists(_dir.File("r-1.safetensors")));
        Assert.Equal(["r-2", "r-3"], CheckpointState.Read(_dir.Path)!.AllModelCheckpointPaths);
    }

    [Fact]
    public void Saving_the_same_step_again_moves_it_to_the_end()
    {
        var model = AllKinds();
        var saver = new Saver();
        saver.Save(model, _dir.File("r"), 1);
        saver.Save(model, _dir.File("r"), 2);
        saver.Save(model, _dir.File("r"), 1);
        var state = CheckpointState.Read(_dir.Path)!;
        Assert.Equal("r-1", state.ModelCheckpointPath);
        Assert.Equal(["r-2", "r-1"], state.AllModelCheckpointPaths);
    }

    [Fact]
    public void Restore_accepts_the_data_file_path_and_RestoreLatest_uses_the_state_file()
    {
        var model = AllKinds();
        var saver = new Saver();
        model.Fill(1);
        saver.Save(model, _dir.File("m"), 1);
        model.Fill(2);
        model.GlobalStep = 2;
        var expected = model.Snapshot();
        var latest = saver.Save(model, _dir.File("m"), 2);

        var fresh = AllKinds();
        Assert.True(saver.RestoreLatest(fresh, _dir.Path));
        Assert.Equal(expected, fresh.Snapshot());

        var other = AllKinds();
        saver.Restore(other, latest + ".safetensors");
        Assert.Equal(expected, other.Snapshot());
        Assert.Equal(2, other.GlobalStep);
    }

    [Fact]
    public void Without_a_state_file_there_is_no_latest_checkpoint()
    {
        Assert.Null(Saver.LatestCheckpoint(_dir.Path));
        Assert.Null(Saver.LatestCheckpoint(_dir.File("missing-dir")));
        Assert.False(new Saver().RestoreLatest(AllKinds(), _dir.Path));
    }

    [Fact]
    public void Missing_checkpoint_file_gives_a_clear_error()
    {
        var e = Assert.Throws<CheckpointException>(() => new Saver().Restore(AllKinds(), _dir.File("model-99")));
        Assert.Contains("model-99", e.Message);
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void Subset_saves_only_the_listed_variables_and_restores_only_them()
    {
        var model = AllKinds();
        model.Fill(3);
        var subset = new Saver(new SaverOptions { VariableNames = ["two_layers/h1/weights", "ids"] });
        var path = subset.Save(model, _dir.File("part"), 9);
        Assert.Equal(["ids", "two_layers/h1/weights"], SafeTensorsFile.Read(path + ".safetensors").Tensors.Select(t => t.Name).Order());

        var target = AllKinds();
        target.Fill(8);
        target.GlobalStep = 17;
        var before = target.Snapshot();
        subset.Restore(target, path);
        var after = target.Snapshot();
        Assert.Equal(model.Snapshot()["two_layers/h1/weights"], after["two_layers/h1/weights"]);
        Assert.Equal(model.Snapshot()["ids"], after["ids"]);
        Assert.Equal(before["stats/mean"], after["stats/mean"]);
        Assert.Equal(17, target.GlobalStep);
    }

    [Fact]
    public void Subset_restore_ignores_other_tensors_of_a_full_checkpoint()
    {
        var model = AllKinds();
        model.Fill(4);
        var path = new Saver().Save(model, _dir.File("full"), 1);
        var target = AllKinds();
        new Saver(new SaverOptions { VariableNames = ["mask"] }).Restore(target, path);
        Assert.Equal(model.Snapshot()["mask"], target.Snapshot()["mask"]);
    }

    [Fact]
    public void Rename_map_restores_a_variable_from_a_tensor_saved_under_another_name()
    {
        var old = new TestModel();
        var embed = old.Add<float>("embed/matrix", 4, 3);
        old.Fill(6);
        var path = new Saver().Save(old, _dir.File("old"), 1);

        var model = new TestModel();
        var target = model.Add<float>("skip_gram/embedding", 4, 3);
        model.Add<float>("skip_gram/nce_bias", 4);
        var rename = new Saver(new SaverOptions { NameMap = new Dictionary<string, string> { ["embed/matrix"] = "skip_gram/embedding" } });
        rename.Restore(model, path);
        Assert.Equal(embed.Data, target.Data);

        // Saving through the map writes the checkpoint names.
        var back = rename.Save(model, _dir.File("renamed"));
        Assert.Equal(["embed/matrix"], SafeTensorsFile.Read(back + ".safetensors").Tensors.Select(t => t.Name));
    }

    [Fact]
    public void Missing_variable_is_named_with_its_dtype_and_shape()
    {
        var small = new TestModel();
        small.Add<float>("a", 2);
        var path = new Saver().Save(small, _dir.File("s"), 1);
        var model = new TestModel();
        model.Add<float>("a", 2);
        model.Add<double>("scope/b", 3, 4);
        var e = Assert.Throws<CheckpointException>(() => new Saver().Restore(model, path));
        Assert.Contains("variable 'scope/b' (F64 [3, 4]) is missing from the checkpoint", e.Message);
        Assert.Contains("s-1.safetensors", e.Message);
    }

    [Fact]
    public void Extra_tensor_is_named_with_its_dtype_and_shape()
    {
        var big = new TestModel();
        big.Add<float>("a", 2);
        big.Add<int>("leftover/count", 5);
        var path = new Saver().Save(big, _dir.File("b"), 1);
        var model = new TestModel();
        model.Add<float>("a", 2);
        var e = Assert.Throws<CheckpointException>(() => new Saver().Restore(model, path));
        Assert.Contains("the checkpoint has tensor 'leftover/count' (I32 [5]), which is not a variable of the model", e.Message);
    }

    [Fact]
    public void Shape_mismatch_names_the_variable_and_both_shapes()
    {
        var saved = new TestModel();
        saved.Add<float>("h1/weights", 3, 2);
        var path = new Saver().Save(saved, _dir.File("x"), 1);
        var model = new TestModel();
        model.Add<float>("h1/weights", 2, 3);
        var e = Assert.Throws<CheckpointException>(() => new Saver().Restore(model, path));
        Assert.Contains("variable 'h1/weights': shape mismatch, checkpoint [3, 2], model [2, 3]", e.Message);
    }

    [Fact]
    public void Dtype_mismatch_names_the_variable_and_both_dtypes()
    {
        var saved = new TestModel();
        saved.Add<double>("w", 4);
        var path = new Saver().Save(saved, _dir.File("x"), 1);
        var model = new TestModel();
        model.Add<float>("w", 4);
        var e = Assert.Throws<CheckpointException>(() => new Saver().Restore(model, path));
        Assert.Contains("variable 'w': dtype mismatch, checkpoint F64, model F32", e.Message);
    }

    [Fact]
    public void Mismatch_through_a_rename_names_both_the_variable_and_the_tensor()
    {
        var saved = new TestModel();
        saved.Add<float>("old", 5);
        var path = new Saver().Save(saved, _dir.File("x"), 1);
        var model = new TestModel();
        model.Add<float>("new", 6);
        var rename = new Saver(new SaverOptions { NameMap = new Dictionary<string, string> { ["old"] = "new" } });
        var e = Assert.Throws<CheckpointException>(() => rename.Restore(model, path));
        Assert.Contains("variable 'new' (checkpoint tensor 'old'): shape mismatch, checkpoint [5], model [6]", e.Message);
    }

    [Fact]
    public void Wrong_global_step_tensor_is_reported()
    {
        var path = _dir.File("gs.safetensors");
        SafeTensorsFile.Write(path, [new SafeTensor("a", DType.Float32, [1], new byte[4]), new SafeTensor("global_step", DType.Int32, [], new byte[4])]);
        var model = new TestModel();
        model.Add<float>("a", 1);
        var e = Assert.Throws<CheckpointException>(() => new Saver().Restore(model, path));
        Assert.Contains("tensor 'global_step' (the model's global step) is I32 [] in the checkpoint; expected I64 []", e.Message);
    }

    [Fact]
    public void Restore_is_all_or_nothing_and_reports_every_problem_at_once()
    {
        var saved = new TestModel();
        saved.Add<float>("good", 3);
        saved.Add<float>("bad", 2);
        saved.Fill(9);
        var path = new Saver().Save(saved, _dir.File("x"), 1);

        var model = new TestModel();
        model.Add<float>("good", 3);
        model.Add<float>("bad", 4);
        model.Add<int>("absent", 1);
        model.Fill(1);
        model.GlobalStep = 3;
        var before = model.Snapshot();
        var e = Assert.Throws<CheckpointException>(() => new Saver().Restore(model, path));
        Assert.Contains("2 problems", e.Message);
        Assert.Contains("'bad'", e.Message);
        Assert.Contains("'absent'", e.Message);
        Assert.Equal(before, model.Snapshot());
        Assert.Equal(3, model.GlobalStep);
    }

    [Fact]
    public void Unknown_variable_in_the_options_is_named()
    {
        var e = Assert.Throws<CheckpointException>(() =>
            new Saver(new SaverOptions { VariableNames = ["nope"] }).Save(AllKinds(), _dir.File("x")));
        Assert.Contains("'nope'", e.Message);
        Assert.Contains("two_layers/h1/weights", e.Message);
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Saver(new SaverOptions { MaxToKeep = -1 }));
        Assert.Throws<ArgumentException>(() => new Saver(new SaverOptions { VariableNames = ["a"], NameMap = new Dictionary<string, string>() }));
    }

    [Fact]
    public void Corrupt_checkpoint_is_refused_and_the_model_is_untouched()
    {
        var model = AllKinds();
        model.Fill(2);
        var path = new Saver().Save(model, _dir.File("c"), 1);
        var bytes = File.ReadAllBytes(path + ".safetensors");
        File.WriteAllBytes(path + ".safetensors", bytes[..(bytes.Length / 2)]);
        var target = AllKinds();
        var before = target.Snapshot();
        var e = Assert.Throws<CheckpointException>(() => new Saver().Restore(target, path));
        Assert.Contains("c-1.safetensors", e.Message);
        Assert.Equal(before, target.Snapshot());
    }

    [Fact]
    public void Save_removes_temporary_files_that_killed_saves_of_the_same_prefix_left_behind()
    {
        string[] abandoned = [".run-7.safetensors.0123456789ab.tmp", ".checkpoint.0123456789ab.tmp", ".run.safetensors.0123456789ab.tmp"];
        string[] foreign = [".other-7.safetensors.0123456789ab.tmp", ".running-1.safetensors.0123456789ab.tmp", "run-3.tmp"];
        foreach (var name in abandoned.Concat(foreign)) File.WriteAllText(_dir.File(name), "partial");
        new Saver().Save(AllKinds(), _dir.File("run"), 8);
        foreach (var name in abandoned) Assert.False(File.Exists(_dir.File(name)), name);
        foreach (var name in foreign) Assert.True(File.Exists(_dir.File(name)), name);
    }

    [Fact]
    public void A_garbage_state_file_is_refused_before_the_checkpoint_is_written()
    {
        File.WriteAllText(_dir.File(CheckpointState.FileName), "not a state file");
        var e = Assert.Throws<CheckpointException>(() => new Saver().Save(AllKinds(), _dir.File("run"), 1));
        Assert.Equal(CheckpointErrorKind.Corrupt, e.Kind);
        Assert.Contains(_dir.File(CheckpointState.FileName), e.Message);
        Assert.Equal([_dir.File(CheckpointState.FileName)], Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void A_file_where_the_checkpoint_directory_belongs_is_a_checkpoint_error_naming_it()
    {
        var blocker = _dir.File("logdir");
        File.WriteAllText(blocker, "a file, not a directory");
        var e = Assert.Throws<CheckpointException>(() => new Saver().Save(AllKinds(), Path.Combine(blocker, "model"), 1));
        Assert.Equal(CheckpointErrorKind.Unwritable, e.Kind);
        Assert.Contains(Path.Combine(blocker, "model-1"), e.Message);
    }
}
