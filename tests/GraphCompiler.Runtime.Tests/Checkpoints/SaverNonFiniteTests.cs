using GraphCompiler.Runtime.Checkpoints;

namespace GraphCompiler.Runtime.Tests.Checkpoints;

/// <summary>NaN and infinity never get into a checkpoint, never push a good one out, and are never restored.</summary>
public sealed class SaverNonFiniteTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static (TestModel Model, Variable<float> Embed, Variable<double> Stats) Model()
    {
        var model = new TestModel();
        var embed = model.Add<float>("embed", 40, 8);
        var stats = model.Add<double>("stats", 5);
        model.Add<long>("ids", 3);
        model.Fill(salt: 1);
        return (model, embed, stats);
    }

    /// <summary>Every file of the directory with its bytes, to show that nothing changed.</summary>
    private Dictionary<string, byte[]> Disk() =>
        Directory.GetFiles(_dir.Path).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    [Fact]
    public void Save_refuses_nan_before_writing_rotating_or_deleting_anything()
    {
        var (model, embed, _) = Model();
        var saver = new Saver(new SaverOptions { MaxToKeep = 2 });
        var prefix = _dir.File("model");
        for (long step = 1; step <= 3; step++) saver.Save(model, prefix, step);
        var before = Disk();

        embed.Data[17] = float.NaN;
        embed.Data[300] = float.NaN;
        var e = Assert.Throws<CheckpointException>(() => saver.Save(model, prefix, 4));

        Assert.Equal(CheckpointErrorKind.NonFinite, e.Kind);
        Assert.Equal("embed", e.TensorName);
        Assert.Equal(_dir.File("model-3"), e.LastGoodCheckpoint);
        Assert.Equal(_dir.File("model-4.safetensors"), e.FilePath);
        Assert.Contains($"refusing to save checkpoint '{_dir.File("model-4")}'", e.Message);
        Assert.Contains("variable 'embed' (F32 [40, 8]) holds 2 non-finite values (the first, NaN, at index 17)", e.Message);
        Assert.Contains($"the last good checkpoint is '{_dir.File("model-3")}'", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(before, Disk());
        Assert.Equal(_dir.File("model-3"), Saver.LatestCheckpoint(_dir.Path));
    }

    [Fact]
    public void Save_names_every_non_finite_variable_and_says_when_there_is_nothing_to_go_back_to()
    {
        var (model, embed, stats) = Model();
        embed.Data[^1] = float.NegativeInfinity;
        stats.Data[2] = double.PositiveInfinity;
        var e = Assert.Throws<CheckpointException>(() => new Saver().Save(model, _dir.File("model"), 1));
        Assert.Contains("variable 'embed' (F32 [40, 8]) holds 1 non-finite value (the first, -Inf, at index 319)", e.Message);
        Assert.Contains("variable 'stats' (F64 [5]) holds 1 non-finite value (the first, +Inf, at index 2)", e.Message);
        Assert.Contains($"there is no good checkpoint in '{_dir.Path}' to go back to", e.Message);
        Assert.Null(e.LastGoodCheckpoint);
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void A_subset_saver_checks_only_what_it_saves()
    {
        var (model, embed, _) = Model();
        embed.Data[0] = float.NaN;
        var path = new Saver(new SaverOptions { VariableNames = ["stats", "ids"] }).Save(model, _dir.File("part"), 1);
        Assert.True(File.Exists(path + Saver.FileExtension));
    }

    [Fact]
    public void Restore_refuses_non_finite_tensors_names_them_and_the_last_good_checkpoint_and_changes_nothing()
    {
        var (model, _, _) = Model();
        var saver = new Saver();
        var good = saver.Save(model, _dir.File("model"), 1);
        // A non-finite checkpoint written behind the saver's back (another tool, an older version), made the latest.
        var bad = _dir.File("model-2");
        var values = new float[40 * 8];
        values[5] = float.NaN;
        SafeTensorsFile.Write(bad + Saver.FileExtension,
        [
            new SafeTensor("embed", DType.Float32, [40, 8], System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray()),
            new SafeTensor("stats", DType.Float64, [5], BitConverter.GetBytes(double.NaN).Concat(new byte[32]).ToArray()),
            new SafeTensor("ids", DType.Int64, [3], new byte[24]),
            new SafeTensor(Saver.GlobalStepTensorName, DType.Int64, [], BitConverter.GetBytes(2L)),
        ]);
        new CheckpointState("model-2", ["model-1", "model-2"]).Write(_dir.Path);

        var (fresh, _, _) = Model();
        fresh.Fill(salt: 9);
        var untouched = fresh.Snapshot();
        var e = Assert.Throws<CheckpointException>(() => saver.RestoreLatest(fresh, _dir.Path));

        Assert.Equal(CheckpointErrorKind.NonFinite, e.Kind);
        Assert.Equal(bad + Saver.FileExtension, e.FilePath);
        Assert.Equal("embed", e.TensorName);
        Assert.Equal(good, e.LastGoodCheckpoint);
        Assert.Contains($"checkpoint '{bad}.safetensors' holds non-finite values and was not restored", e.Message);
        Assert.Contains("tensor 'embed' (F32 [40, 8]) holds 1 non-finite value (the first, NaN, at index 5)", e.Message);
        Assert.Contains("tensor 'stats' (F64 [5]) holds 1 non-finite value (the first, NaN, at index 0)", e.Message);
        Assert.Contains($"the last good checkpoint is '{good}'", e.Message);
        Assert.Equal(untouched, fresh.Snapshot());
        Assert.Equal(0, fresh.GlobalStep);

        saver.Restore(fresh, e.LastGoodCheckpoint!);
        Assert.Equal(model.Snapshot(), fresh.Snapshot());
    }

    [Fact]
    public void Restore_of_a_subset_ignores_non_finite_tensors_it_does_not_restore()
    {
        var path = _dir.File("mixed.safetensors");
        SafeTensorsFile.Write(path,
        [
            new SafeTensor("keep", DType.Float32, [1], BitConverter.GetBytes(2.5f)),
            new SafeTensor("broken", DType.Float32, [1], BitConverter.GetBytes(float.NaN)),
        ]);
        var model = new TestModel();
        var keep = model.Add<float>("keep", 1);
        new Saver(new SaverOptions { VariableNames = ["keep"] }).Restore(model, path);
        Assert.Equal(2.5f, keep.Data[0]);
    }

    [Fact]
    public void The_last_good_checkpoint_skips_missing_corrupt_and_non_finite_files()
    {
        var (model, embed, _) = Model();
        var saver = new Saver(new SaverOptions { MaxToKeep = 0 });
        var oldest = saver.Save(model, _dir.File("m"), 1);
        var corrupt = saver.Save(model, _dir.File("m"), 2);
        var missing = saver.Save(model, _dir.File("m"), 3);
        File.WriteAllBytes(corrupt + Saver.FileExtension, [1, 2, 3]);
        File.Delete(missing + Saver.FileExtension);
        Assert.Equal(oldest, Saver.LatestGoodCheckpoint(_dir.Path));
        Assert.Null(Saver.LatestGoodCheckpoint(_dir.Path, oldest + Saver.FileExtension));
        Assert.Null(Saver.LatestGoodCheckpoint(_dir.File("no-such-directory")));

        embed.Data[3] = float.NaN;
        var e = Assert.Throws<CheckpointException>(() => saver.Save(model, _dir.File("m"), 4));
        Assert.Equal(oldest, e.LastGoodCheckpoint);
    }

    [Fact]
    public void An_embedding_sized_table_is_checked_whole()
    {
        var model = new TestModel();
        var table = model.Add<float>("embed", 12288, 128);
        for (int i = 0; i < table.Data.Length; i++) table.Data[i] = i % 251 * 0.01f;
        var saver = new Saver();
        var path = saver.Save(model, _dir.File("big"), 1);
        table.Data[^1] = float.PositiveInfinity; // the very last element, past every full vector
        var e = Assert.Throws<CheckpointException>(() => saver.Save(model, _dir.File("big"), 2));
        Assert.Contains("at index 1572863", e.Message);
        Assert.Equal(path, e.LastGoodCheckpoint);
    }
}
