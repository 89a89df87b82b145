using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;

namespace GraphCompiler.EndToEnd.Tests;

public class LinearRegressionTests
{
    private static readonly float[] X = [1, 2, 3, 4];
    private static readonly float[] Y = [0, -1, -2, -3];

    [Fact]
    public void ThousandStepsMatchTensorFlow()
    {
        var model = new LinearModel(seed: 1);
        for (int i = 0; i < 1000; i++) model.TrainStep(X, Y, learningRate: 0.01f);
        // TensorFlow prints W: [-0.9999969] b: [0.9999908] loss: 5.6999738e-11.
        Assert.Equal(-0.9999969f, model.Variables.W.Data[0], 1e-6f);
        Assert.Equal(0.9999908f, model.Variables.B.Data[0], 1e-6f);
        Assert.True(model.Loss(X, Y) < 1e-9f);
        Assert.Equal("[-0.9999969]", model.Variables.W.ToString());
        Assert.Equal(1000, model.GlobalStep);
    }

    [Fact]
    public void LossIsEvaluatedForGivenVariableValues()
    {
        var model = new LinearModel();
        Assert.Equal(23.66f, model.Loss(X, Y), 1e-4f);
        model.Variables.W.Assign([-1f]);
        model.Variables.B.Assign([1f]);
        Assert.Equal(0f, model.Loss(X, Y));
    }

    [Fact]
    public void AssignInModelCodeRunsAfterTheOutputs()
    {
        var model = new AssignModel();
        Assert.Equal(23.66f, model.LossThenAssign(X, Y), 1e-4f);
        Assert.Equal(new[] { -1f }, model.Variables.W.Data);
        Assert.Equal(new[] { 1f }, model.Variables.B.Data);
        Assert.Equal(0f, model.LossThenAssign(X, Y));
    }

    [Fact]
    public void SymbolicLengthBindsPerCallAndMismatchedInputsAreRefused()
    {
        var model = new LinearModel();
        Assert.Equal(model.Loss([1, 2], [0, -1]), model.Loss([1, 2], [0, -1]));
        Assert.True(model.Loss([1, 2, 3, 4, 5, 6], [0, 0, 0, 0, 0, 0]) > 0);
        var e = Assert.Throws<ArgumentException>(() => model.Loss([1, 2, 3], [1, 2]));
        Assert.Contains("'y'", e.Message);
    }

    [Fact]
    public void TrainStepAllocatesNothingAfterTheFirstCall()
    {
        var model = new LinearModel();
        model.TrainStep(X, Y, 0.01f);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) model.TrainStep(X, Y, 0.01f);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void VariablesAreEnumerableByFullName()
    {
        IModel model = new LinearModel();
        Assert.Equal(new[] { "W", "b" }, model.AllVariables.Names);
        Assert.Equal("[1]", model.AllVariables["b"].ShapeText);
        Assert.True(model.AllVariables["W"].Trainable);
    }

    [Fact]
    public void TheSampleProgramPrintsTensorFlowsResult()
    {
        var dll = Path.Combine(TestRepository.Root, "samples", "LinearRegression", "bin", TestRepository.Configuration, "net10.0", "LinearRegression.dll");
        var (code, output) = TestRepository.Run(Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? Environment.ProcessPath : "dotnet", $"\"{dll}\"", TestRepository.Root, TimeSpan.FromMinutes(2));
        Assert.Equal(0, code);
        Assert.Contains("W: [-0.9999969] b: [0.9999908] loss: 5.6999738e-11", output);
        Assert.Contains("after assign W: [-1.] b: [1.] loss: 0.", output);
    }
}

public class ReplicaTests
{
    [Fact]
    public void AReplicaSharesVariablesButNotScratchMemory()
    {
        var model = new LinearModel();
        var replica = new LinearModel(shareVariablesWith: model);
        Assert.Same(model.Variables, replica.Variables);
        replica.TrainStep([1, 2, 3, 4], [0, -1, -2, -3], 0.01f);
        Assert.NotEqual(0.3f, model.Variables.W.Data[0]);
        // Threads training through their own replicas: the shared variables still converge.
        var replicas = Enumerable.Range(0, 4).Select(_ => new LinearModel(shareVariablesWith: model)).ToArray();
        Parallel.ForEach(replicas, r => { for (int i = 0; i < 500; i++) r.TrainStep([1, 2, 3, 4], [0, -1, -2, -3], 0.005f); });
        Assert.Equal(-1f, model.Variables.W.Data[0], 0.01f);
        Assert.Equal(1f, model.Variables.B.Data[0], 0.02f);
    }
}
