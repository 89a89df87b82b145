namespace GraphCompiler.EndToEnd.Tests;

/// <summary>Locates the repository from a test's output folder.</summary>
internal static class TestRepository
{
    public static string Root => GraphCompiler.Tests.Shared.RepositoryRoot.Path;

    /// <summary>Debug or Release: the configuration these tests were built in.</summary>
    public static string Configuration => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>Runs a process, returning its exit code and combined output; kills it after the timeout.</summary>
    public static (int ExitCode, string Output) Run(string file, string arguments, string workingDirectory, TimeSpan timeout)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit((int)timeout.TotalMilliseconds))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} did not finish in {timeout}");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
