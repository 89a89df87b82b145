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
        var (code, stdout, stderr) = RunSeparately(file, arguments, workingDirectory, timeout);
        return (code, stdout + stderr);
    }

    /// <summary>Runs a process, returning its exit code, stdout and stderr apart; kills it after the timeout.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunSeparately(string file, string arguments, string workingDirectory, TimeSpan timeout)
    {
        using var p = System.Diagnostics.Process.Start(StartInfo(file, arguments, workingDirectory))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit((int)timeout.TotalMilliseconds))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} did not finish in {timeout}");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>How the tests start a process: output redirected, no .NET first-run noise.</summary>
    public static System.Diagnostics.ProcessStartInfo StartInfo(string file, string arguments, string workingDirectory)
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
        return psi;
    }
}
