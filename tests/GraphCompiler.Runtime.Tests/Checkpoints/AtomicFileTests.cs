using GraphCompiler.Runtime.Checkpoints;

namespace GraphCompiler.Runtime.Tests.Checkpoints;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Replaces_the_target_and_leaves_no_temporary_file()
    {
        var path = _dir.File("target");
        File.WriteAllText(path, "old");
        AtomicFile.WriteAllBytes(path, "new"u8);
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void A_failing_writer_keeps_the_old_target_and_removes_its_temporary_file()
    {
        var path = _dir.File("target");
        File.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half"u8);
            throw new InvalidOperationException("boom");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Directory_flush_reaches_the_operating_system_on_unix()
    {
        Assert.Equal(!OperatingSystem.IsWindows(), DirectorySync.TryFlush(_dir.Path));
        Assert.False(DirectorySync.TryFlush(_dir.File("no-such-directory")));
    }
}
