using System.Globalization;

namespace GraphCompiler.Runtime.Summaries;

/// <summary>
/// Run directories named by UTC time (<c>tf_logs/run-20261121150000/</c>), so that two runs never
/// write into one TensorBoard run by accident; a second run in the same second gets <c>-1</c>, <c>-2</c>.
/// </summary>
public static class RunDirectory
{
    public static string Create(string root, DateTime? utcNow = null)
    {
        var stamp = (utcNow ?? DateTime.UtcNow).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        Directory.CreateDirectory(root);
        for (int i = 0; ; i++)
        {
            var path = Path.Combine(root, i == 0 ? $"run-{stamp}" : $"run-{stamp}-{i}");
            // CreateDirectory succeeds on an existing folder, so claim the name by checking first;
            // two processes racing for the same second is the rare case the suffix loop resolves.
            if (Directory.Exists(path)) continue;
            Directory.CreateDirectory(path);
            return path;
        }
    }
}
