namespace GraphCompiler.Tests.Shared;

/// <summary>
/// The folder holding <c>GraphCompiler.sln</c>, found by walking up from the test binaries; every
/// test project links this one file (see tests/Directory.Build.props).
/// </summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "GraphCompiler.sln"))) return dir.FullName;
        throw new InvalidOperationException($"GraphCompiler.sln not found above {AppContext.BaseDirectory}");
    }
}
