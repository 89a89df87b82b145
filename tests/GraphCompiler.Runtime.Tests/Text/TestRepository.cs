namespace GraphCompiler.Runtime.Tests.Text;

/// <summary>Finds files of the repository (and the shared data folder beside it) from the test binaries.</summary>
internal static class TestRepository
{
    /// <summary>The folder holding <c>GraphCompiler.sln</c>.</summary>
    public static string Root => GraphCompiler.Tests.Shared.RepositoryRoot.Path;

    /// <summary>A path inside the repository.</summary>
    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A path inside the <c>shared</c> folder beside the repository.</summary>
    public static string Shared(params string[] parts) => Path.Combine([Path.GetDirectoryName(Root)!, "shared", .. parts]);

}

/// <summary>A temporary directory removed when disposed.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gc-text-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
