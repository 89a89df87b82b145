using System.Runtime.CompilerServices;

namespace GraphCompiler.Generator.Tests.Harness;

/// <summary>
/// Approved-file snapshots: <c>Snapshots/&lt;TestName&gt;.approved.&lt;ext&gt;</c> must equal the output. On a
/// mismatch the output is written beside it as <c>.received.&lt;ext&gt;</c> and the test fails with the
/// first differing line. Set <c>GC_ACCEPT_SNAPSHOTS=1</c> to accept: the output then overwrites the
/// approved file and the test passes.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "GC_ACCEPT_SNAPSHOTS";

    public static void Match(string actual, string extension, [CallerMemberName] string testName = "")
    {
        actual = Normalize(actual);
        var approvedPath = Path.Combine(RepoPaths.Snapshots, $"{testName}.approved.{extension}");
        var receivedPath = Path.Combine(RepoPaths.Snapshots, $"{testName}.received.{extension}");
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(RepoPaths.Snapshots);
            File.WriteAllText(approvedPath, actual);
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return;
        }
        if (!File.Exists(approvedPath))
        {
            File.WriteAllText(receivedPath, actual);
            Assert.Fail($"No approved snapshot {approvedPath}. Review {receivedPath}, then accept it with {AcceptVariable}=1.");
        }
        var approved = Normalize(File.ReadAllText(approvedPath));
        if (approved == actual)
        {
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return;
        }
        File.WriteAllText(receivedPath, actual);
        Assert.Fail($"Snapshot {testName}.{extension} differs from the approved file.\n{FirstDifference(approved, actual)}\n" +
                    $"Compare with: diff {approvedPath} {receivedPath}\nIf the change is intended, accept it with {AcceptVariable}=1.");
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n");

    private static string FirstDifference(string approved, string actual)
    {
        var a = approved.Split('\n');
        var b = actual.Split('\n');
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var x = i < a.Length ? a[i] : "<end of file>";
            var y = i < b.Length ? b[i] : "<end of file>";
            if (x != y) return $"First difference at line {i + 1}:\n  approved: {x}\n  received: {y}";
        }
        return "The files differ only in line endings.";
    }
}
