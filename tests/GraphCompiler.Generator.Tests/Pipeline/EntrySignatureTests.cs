using System.Text.RegularExpressions;
using GraphCompiler.Generator.Tests.Harness;

namespace GraphCompiler.Generator.Tests.Pipeline;

/// <summary>
/// Which symbolic dims an entry point takes as int parameters: only those its inputs' lengths cannot
/// determine, taken in the order the inputs declare them, named so they never collide with an input.
/// </summary>
public class EntrySignatureTests
{
    [Theory]
    // [groups, size] and [groups, k]: once groups is given, both lengths determine the rest.
    [InlineData("""[Shape("groups", "size")] Tensor x, [Shape("groups", "k")] Tensor y""", "ReadOnlySpan<float> x, ReadOnlySpan<float> y, int groups, float learningRate")]
    // A dim named like an input gets a suffix.
    [InlineData("""[Shape("m", "n")] Tensor x, [Shape("m", "n")] Tensor m""", "ReadOnlySpan<float> x, ReadOnlySpan<float> m, int mDim, float learningRate")]
    // Dims the lengths determine are not parameters.
    [InlineData("""[Shape("n")] Tensor x, [Shape("n", 3)] Tensor y""", "ReadOnlySpan<float> x, ReadOnlySpan<float> y, float learningRate")]
    public void TheTrainStepTakesOnlyTheDimsItsInputsLeaveOpen(string inputs, string expected)
    {
        string second = Regex.Match(inputs, @"Tensor (\w+)$").Groups[1].Value;
        var run = GeneratorHarness.Run(Models.Usings + $$"""
            namespace Samples;

            [Model(Optimizer = Optimizer.GradientDescent)]
            public partial class Grouped
            {
                [Loss]
                static Tensor Loss({{inputs}})
                {
                    var w = Variable("w", [1], Init.Constant(0.5f));
                    return ReduceSum(x * w) + ReduceSum({{second}} * w);
                }
            }
            """);
        Assert.Empty(run.Errors);
        var match = Regex.Match(run.Sources.Single().Value, @"public float TrainStep\(([^)]*)\)");
        Assert.True(match.Success, "no TrainStep in the generated code");
        Assert.Equal(expected, match.Groups[1].Value);
    }
}
