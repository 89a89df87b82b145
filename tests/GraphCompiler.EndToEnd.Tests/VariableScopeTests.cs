using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;

namespace GraphCompiler.EndToEnd.Tests;

public class VariableScopeTests
{
    [Fact]
    public void TwoLayersSamplePrintsOneSharedSetAndTwoUnsharedSets()
    {
        var dll = Path.Combine(TestRepository.Root, "samples", "TwoLayers", "bin", TestRepository.Configuration, "net10.0", "TwoLayers.dll");
        var (code, output) = TestRepository.Run("dotnet", $"\"{dll}\"", TestRepository.Root, TimeSpan.FromMinutes(2));
        Assert.Equal(0, code);
        Assert.Contains("two_layers/h1/weights [100, 50]", output);
        Assert.Contains("two_layers/h2/biases [10]", output);
        Assert.Contains("4 variables; logits1 == logits2: True", output);
        Assert.Contains("typed access: Variables.TwoLayers.H1.Weights is two_layers/h1/weights", output);
        Assert.Contains("h1_weights_1 [100, 50]", output);
        Assert.Contains("8 variables; logits1 == logits2: False", output);
        Assert.Contains("two_layers/h1/kernel [100, 50]", output);
        Assert.Contains("two_layers/h2/bias [10]", output);
        Assert.Equal(2, output.Split("4 variables; logits1 == logits2: True").Length - 1);
    }

    [Fact]
    public void ModelsWithTheSameVariableNamesHaveSeparateStores()
    {
        var a = new LinearModel();
        var b = new AssignModel();
        a.Variables.W.Assign([5f]);
        Assert.Equal(0.3f, b.Variables.W.Data[0]);
        Assert.Equal(5f, ((IModel)a).AllVariables["W"].ToDoubleArray()[0]);
        Assert.NotSame(((IModel)a).AllVariables["W"], ((IModel)b).AllVariables["W"]);
    }

    [Fact]
    public void EachInstanceOfAModelHasItsOwnVariables()
    {
        var a = new LinearModel();
        var b = new LinearModel();
        a.Variables.W.Assign([5f]);
        Assert.Equal(0.3f, b.Variables.W.Data[0]);
    }
}
