namespace GraphCompiler.Generator.Tests.Harness;

/// <summary>Every model source of the repository: the samples' and the end-to-end tests' model files, and the harness models.</summary>
internal static class ModelSources
{
    public static IEnumerable<(string Name, string Source)> All()
    {
        var files = new[] { "samples", Path.Combine("tests", "GraphCompiler.EndToEnd.Tests", "Models") }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, d), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && File.ReadAllText(f).Contains("[Model", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal);
        foreach (var f in files) yield return (Path.GetRelativePath(RepoPaths.Root, f), File.ReadAllText(f));
        yield return ("Models.LinearRegression", Models.LinearRegression);
        yield return ("Models.TwoLayerMlp", Models.TwoLayerMlp);
        yield return ("Models.SharedVariables", Models.SharedVariables);
        yield return ("Models.TupleReturn", Models.TupleReturn);
    }
}
