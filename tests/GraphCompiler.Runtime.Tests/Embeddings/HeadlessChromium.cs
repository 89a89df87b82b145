using System.Diagnostics;

namespace GraphCompiler.Runtime.Tests.Embeddings;

/// <summary>Screenshots of local pages by Chromium in headless mode (Debian's <c>chromium</c> package).</summary>
internal static class HeadlessChromium
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>The browser executable, or a failure that says how to install it.</summary>
    public static string Executable()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin"))
            foreach (var name in new[] { "chromium", "chromium-browser" })
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        throw new InvalidOperationException(
            "the embedding page screenshot test needs Chromium, and no 'chromium' executable is on PATH. " +
            "Install it (Debian/Ubuntu: sudo apt-get install chromium) and run the tests again; CI's .ci/run installs it.");
    }

    /// <summary>Loads <paramref name="url"/> in a fresh profile and returns the PNG screenshot of the viewport.</summary>
    public static byte[] Screenshot(string url, int width, int height)
    {
        var executable = Executable();
        var work = Path.Combine(Path.GetTempPath(), "gc-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var shot = Path.Combine(work, "screenshot.png");
            var start = new ProcessStartInfo(executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--user-data-dir=" + Path.Combine(work, "profile"),
                "--screenshot=" + shot, $"--window-size={width},{height}", url,
            })
                start.ArgumentList.Add(argument);

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{executable} did not finish a screenshot of {url} within {Timeout.TotalSeconds} s");
            }
            process.WaitForExit();
            if (!File.Exists(shot))
                throw new InvalidOperationException($"{executable} exited with {process.ExitCode} and wrote no screenshot of {url}:\n{output.Result}\n{errors.Result}");
            return File.ReadAllBytes(shot);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); }
            catch (IOException) { } // a lingering helper process may still hold the profile; the temp folder is harmless
        }
    }
}
