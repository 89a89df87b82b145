namespace GraphCompiler.EndToEnd.Tests;

/// <summary>Open MPI's <c>mpirun</c>, as the distributed tests start their jobs (2 ranks on loopback, also as root and on fewer cores).</summary>
internal static class MpiLauncher
{
    /// <summary>The launcher on PATH; test.sh installs it (openmpi-bin) when it is missing.</summary>
    public static string Path
    {
        get
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator))
                if (dir.Length > 0 && File.Exists(System.IO.Path.Combine(dir, "mpirun"))) return System.IO.Path.Combine(dir, "mpirun");
            throw new InvalidOperationException("the distributed tests need Open MPI's mpirun, and none is on PATH. Install it (Debian/Ubuntu: sudo apt-get install openmpi-bin libopenmpi-dev) and run the tests again; ./test.sh installs it when run as root.");
        }
    }

    /// <summary><c>mpirun</c> with <paramref name="ranks"/> ranks of <c>dotnet <paramref name="dll"/> --distributed</c>.</summary>
    public static System.Diagnostics.ProcessStartInfo StartInfo(int ranks, string dll, string arguments, string workingDirectory)
    {
        var psi = TestRepository.StartInfo(Path, $"-np {ranks} --oversubscribe --allow-run-as-root dotnet \"{dll}\" --distributed {arguments}", workingDirectory);
        // Open MPI refuses to run as root in containers unless told; harmless otherwise.
        psi.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        psi.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        return psi;
    }

    /// <summary>Runs the job to its end: exit code and output (stdout then stderr); kills it after <paramref name="timeout"/>.</summary>
    public static (int ExitCode, string Output) Run(int ranks, string dll, string arguments, string workingDirectory, TimeSpan timeout)
    {
        using var p = System.Diagnostics.Process.Start(StartInfo(ranks, dll, arguments, workingDirectory))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit((int)timeout.TotalMilliseconds))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"mpirun -np {ranks} ... {arguments} did not finish in {timeout}");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
