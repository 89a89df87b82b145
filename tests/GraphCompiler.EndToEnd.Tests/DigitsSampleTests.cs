using System.Globalization;
using System.Text.RegularExpressions;

namespace GraphCompiler.EndToEnd.Tests;

public class DigitsSampleTests
{
    [Fact]
    public void TheDigitsClassifierGeneralises()
    {
        var dll = Path.Combine(TestRepository.Root, "samples", "Digits", "bin", TestRepository.Configuration, "net10.0", "Digits.dll");
        var (code, output) = TestRepository.Run("dotnet", $"\"{dll}\" 10", TestRepository.Root, TimeSpan.FromMinutes(3));
        Assert.True(code == 0, output);
        var match = Regex.Match(output, @"test accuracy: ([0-9.]+) ?%");
        Assert.True(match.Success, output);
        Assert.True(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) >= 90, output);
    }
}
