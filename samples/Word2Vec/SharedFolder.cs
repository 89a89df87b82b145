namespace Word2Vec;

/// <summary>
/// The folder beside the repository root that holds the shared evaluation sets (<c>../shared</c>):
/// found by walking up from the working directory or the app to the folder holding GraphCompiler.sln.
/// </summary>
public static class SharedFolder
{
    /// <summary>The shared folder, or null when the program runs outside a repository checkout.</summary>
    public static string? Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (System.IO.File.Exists(Path.Combine(dir.FullName, "GraphCompiler.sln")))
                {
                    var shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
                    return Directory.Exists(shared) ? shared : null;
                }
        return null;
    }

    /// <summary>A file under the shared folder when it exists, else null.</summary>
    public static string? File(string? shared, params string[] parts)
    {
        if (shared is null) return null;
        var path = Path.Combine([shared, .. parts]);
        return System.IO.File.Exists(path) ? path : null;
    }
}
