using GraphCompiler.EndToEnd.Tests.Models;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>TensorFlow's seed semantics for graph-level (model) and op-level seeds.</summary>
public class SeedTests
{
    [Fact]
    public void TwoOpsWithTheSameOpSeedGiveTheSameValues()
    {
        var m = new SeedModel(seed: 7);
        Assert.Equal(m.Variables.A.Data, m.Variables.B.Data);
    }

    [Fact]
    public void AGraphSeedAloneGivesDifferentButReproducibleValuesPerOp()
    {
        var m = new SeedModel(seed: 7);
        Assert.NotEqual(m.Variables.C.Data, m.Variables.D.Data);
        Assert.Equal(m.Variables.C.Data, new SeedModel(seed: 7).Variables.C.Data);
    }

    [Fact]
    public void TheSameOpSeedGivesTheSameSequenceForTheSameGraphSeedOnly()
    {
        Assert.Equal(new SeedModel(seed: 7).Variables.A.Data, new SeedModel(seed: 7).Variables.A.Data);
        Assert.NotEqual(new SeedModel(seed: 7).Variables.A.Data, new SeedModel(seed: 8).Variables.A.Data);
    }

    [Fact]
    public void EachNewModelInstanceRestartsTheRandomState()
    {
        var first = new SeedModel(seed: 3);
        var again = new SeedModel(seed: 3);
        first.InitializeVariables();
        Assert.Equal(again.Variables.C.Data, first.Variables.C.Data);
        Assert.Equal(again.Variables.D.Data, first.Variables.D.Data);
    }
}
