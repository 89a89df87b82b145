using System.Globalization;
using System.Text.RegularExpressions;

namespace GraphCompiler.EndToEnd.Tests;

public class DigitsCnnSampleTests
{
    [Fact]
    public void TheCnnGeneralisesWithAndWithoutBatchNormAndPrunesToEachSparsity()
    {
        var dll = Path.Combine(TestRepository.Root, "samples", "DigitsCnn", "bin", TestRepository.Configuration, "net10.0", "DigitsCnn.dll");
        var (code, output) = TestRepository.Run("dotnet", $"\"{dll}\" 10", TestRepository.Root, TimeSpan.FromMinutes(5));
        Assert.True(code == 0, output);
        double Accuracy(string run)
        {
            var match = Regex.Match(output, "^" + Regex.Escape(run) + @".*test accuracy: ([0-9.]+) %", RegexOptions.Multiline);
            Assert.True(match.Success, $"no result for '{run}' in:\n{output}");
            return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        Assert.True(Accuracy("cnn:") >= 90, output);
        Assert.True(Accuracy("cnn+batchnorm:") >= 90, output);
        Assert.True(Accuracy("cnn pruned to 50 %") >= 80, output);
        foreach (var sparsity in new[] { 0, 50, 80, 90 })
            Assert.Contains($"cnn pruned to {sparsity} % (conv2d/kernel {sparsity} %, dense/kernel {sparsity} %)", output);
    }

    [Fact]
    public void TheSmokeTestPassesForThePlainAndTheBatchNormalizedCnn()
    {
        var dll = Path.Combine(TestRepository.Root, "samples", "DigitsCnn", "bin", TestRepository.Configuration, "net10.0", "DigitsCnn.dll");
        var (code, output) = TestRepository.Run("dotnet", $"\"{dll}\" --smoke", TestRepository.Root, TimeSpan.FromMinutes(2));
        Assert.True(code == 0, output);
        Assert.Equal(2, Regex.Matches(output, "smoke test passed").Count);
        Assert.Matches(@"batch_normalization/gamma \[16\]", output);
        Assert.DoesNotContain("test accuracy", output);
    }
}
