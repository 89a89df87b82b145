using GraphCompiler.Runtime.Summaries;

namespace GraphCompiler.Runtime.Tests.Summaries;

public class RunDirectoryTests
{
    [Fact]
    public void RunsAreNamedByUtcTimeAndNeverMerge()
    {
        var root = Directory.CreateTempSubdirectory("gc-runs-");
        try
        {
            var at = new DateTime(2026, 11, 21, 15, 0, 0, DateTimeKind.Utc);
            var first = RunDirectory.Create(root.FullName, at);
            var second = RunDirectory.Create(root.FullName, at);
            Assert.Equal("run-20261121150000", Path.GetFileName(first));
            Assert.Equal("run-20261121150000-1", Path.GetFileName(second));
            Assert.True(Directory.Exists(first) && Directory.Exists(second));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
