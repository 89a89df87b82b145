namespace GraphCompiler.EndToEnd.Tests;

/// <summary>Exact resume: 2N steps equal N steps, a checkpoint, a fresh process restoring it, and N more.</summary>
public class ResumeTests
{
    private static string Child(string directory, int steps)
    {
        var dll = Path.Combine(TestRepository.Root, "tests", "ResumeChild", "bin", TestRepository.Configuration, "net10.0", "ResumeChild.dll");
        var (code, output) = TestRepository.Run("dotnet", $"\"{dll}\" \"{directory}\" {steps}", TestRepository.Root, TimeSpan.FromMinutes(2));
        Assert.True(code == 0, output);
        return output.Trim().Split('\n').Last();
    }

    [Fact]
    public void ResumingInAFreshProcessIsBitForBit()
    {
        var root = Directory.CreateTempSubdirectory("gc-resume-");
        try
        {
            var straight = Child(Path.Combine(root.FullName, "straight"), 40);
            var resumed = Path.Combine(root.FullName, "resumed");
            var half = Child(resumed, 20);
            Assert.StartsWith("global_step=20 ", half);
            Assert.True(File.Exists(Path.Combine(resumed, "checkpoint")));
            Assert.True(File.Exists(Path.Combine(resumed, "regressor-20.safetensors")));
            var full = Child(resumed, 20);
            Assert.StartsWith("global_step=40 ", full);
            Assert.Equal(straight, full);
            Assert.NotEqual(half.Split(' ')[1], full.Split(' ')[1]);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
