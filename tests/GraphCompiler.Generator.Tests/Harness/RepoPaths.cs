namespace GraphCompiler.Generator.Tests.Harness;

/// <summary>Paths inside the repository, found by walking up to the folder holding GraphCompiler.sln.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string TestProject => Path.Combine(Root, "tests", "GraphCompiler.Generator.Tests");

    public static string Snapshots => Path.Combine(TestProject, "Snapshots");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GraphCompiler.sln"))) return dir.FullName;
        throw new InvalidOperationException($"GraphCompiler.sln not found above {AppContext.BaseDirectory}");
    }
}
