using GraphCompiler.Generator.Tests.Harness;

namespace GraphCompiler.Generator.Tests.Pipeline;

/// <summary>
/// The lowered IR text and the generated C# of small models, against approved files in Snapshots/.
/// The IR text is the lowering's contract; the C# follows the emitter and is re-accepted when it changes.
/// </summary>
public class SnapshotTests
{
    private static void Check(string source, string name)
    {
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.Errors);
        Snapshot.Match(run.ModelText, "ir", name + "_IR");
        Snapshot.Match(run.Sources.Single().Value, "cs", name + "_Code");
    }

    [Fact]
    public void LinearRegression() => Check(Models.LinearRegression, nameof(LinearRegression));

    [Fact]
    public void TwoLayerMlp() => Check(Models.TwoLayerMlp, nameof(TwoLayerMlp));

    [Fact]
    public void SharedVariables() => Check(Models.SharedVariables, nameof(SharedVariables));

    [Fact]
    public void TupleReturn() => Check(Models.TupleReturn, nameof(TupleReturn));

    /// <summary>DynamicRnn's loop region as generated code; the saved activations for BPTT grow with time, and the arena bound says so.</summary>
    [Fact]
    public void RecurrenceLoop()
    {
        Check(Models.RecurrenceLoop, nameof(RecurrenceLoop));
        var header = GeneratorHarness.Run(Models.RecurrenceLoop).Sources.Single().Value.Split('\n')[1];
        Assert.Matches(@"arena ≤ [^,]*·time", header);
    }
}
