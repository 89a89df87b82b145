namespace GraphCompiler.Generator.Tests.Harness;

/// <summary>Paths inside the repository, found by walking up to the folder holding GraphCompiler.sln.</summary>
internal static class RepoPaths
{
    public static string Root => GraphCompiler.Tests.Shared.RepositoryRoot.Path;

    public static string TestProject => Path.Combine(Root, "tests", "GraphCompiler.Generator.Tests");

    public static string Snapshots => Path.Combine(TestProject, "Snapshots");

}
