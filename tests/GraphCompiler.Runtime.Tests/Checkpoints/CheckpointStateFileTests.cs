using System.Text;
using GraphCompiler.Runtime.Checkpoints;

namespace GraphCompiler.Runtime.Tests.Checkpoints;

/// <summary>Reading the state file from disk: damaged files are refused naming the file, never read as garbage names.</summary>
public sealed class CheckpointStateFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string StatePath => _dir.File(CheckpointState.FileName);

    [Theory]
    [InlineData(new byte[] { 0x6D, 0x3A, 0x20, 0xFF, 0xFE }, "not UTF-8 text")]
    [InlineData(new byte[] { 0x00, 0x01, 0x02, 0x03 }, "is not 'key: value'")]
    public void Garbage_state_files_are_refused_naming_the_file(byte[] content, string expected)
    {
        File.WriteAllBytes(StatePath, content);
        var e = Assert.Throws<CheckpointException>(() => Saver.LatestCheckpoint(_dir.Path));
        Assert.Equal(CheckpointErrorKind.Corrupt, e.Kind);
        Assert.Equal(StatePath, e.FilePath);
        Assert.Contains(StatePath, e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("model_checkpoint_path: \"a\\777\"", "the escape \\777 is not a byte")]
    [InlineData("model_checkpoint_path: \"\\377\\376\"", "the escaped bytes are not UTF-8")]
    public void Escapes_that_are_not_utf8_bytes_are_refused(string text, string expected)
    {
        var e = Assert.Throws<CheckpointException>(() => CheckpointState.Parse(text, "run/checkpoint"));
        Assert.Equal(CheckpointErrorKind.Corrupt, e.Kind);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void An_oversized_state_file_is_refused_without_reading_it()
    {
        using (var stream = File.Create(StatePath)) stream.SetLength(1L << 30); // sparse
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<CheckpointException>(() => CheckpointState.Read(_dir.Path));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1 << 20);
        Assert.Contains("more than the", e.Message);
    }

    [Fact]
    public void A_directory_named_checkpoint_is_unreadable_not_a_crash()
    {
        Directory.CreateDirectory(StatePath);
        var e = Assert.Throws<CheckpointException>(() => Saver.LatestCheckpoint(_dir.Path));
        Assert.Equal(CheckpointErrorKind.Unreadable, e.Kind);
        Assert.Contains(StatePath, e.Message);
    }

    [Fact]
    public void A_byte_order_mark_is_accepted()
    {
        File.WriteAllBytes(StatePath, [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("model_checkpoint_path: \"m-1\"\n")]);
        Assert.Equal(_dir.File("m-1"), Saver.LatestCheckpoint(_dir.Path));
    }

    [Fact]
    public void A_state_naming_a_missing_file_makes_restore_say_not_found()
    {
        new CheckpointState("gone-5", ["gone-5"]).Write(_dir.Path);
        var model = new TestModel();
        model.Add<float>("w", 1);
        var e = Assert.Throws<CheckpointException>(() => new Saver().RestoreLatest(model, _dir.Path));
        Assert.Equal(CheckpointErrorKind.NotFound, e.Kind);
        Assert.Contains(_dir.File("gone-5.safetensors"), e.Message);
    }
}
