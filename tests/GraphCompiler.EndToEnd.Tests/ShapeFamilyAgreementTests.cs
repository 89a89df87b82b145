using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Reference;
using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>The shape family's generated code against the reference interpreter: forward outputs and one train step.</summary>
public class ShapeFamilyAgreementTests
{
    private static float[] RandomData(Random rng, int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    /// <summary>Runs IR text in the interpreter with typed feeds (the runtime's helper feeds float32 only).</summary>
    private static (Dictionary<string, RefTensor> Outputs, Dictionary<string, RefTensor> Variables) Interpret(IModel model, string ir, Dictionary<string, RefTensor> feeds)
    {
        var graph = GraphText.Parse(ir);
        var variables = model.AllVariables.Where(v => graph.Variables.ContainsKey(v.Name))
            .ToDictionary(v => v.Name, v => new RefTensor((GraphCompiler.Compiler.IR.DType)(int)v.DType, v.Shape.ToArray(), v.ToDoubleArray()), StringComparer.Ordinal);
        return (Interpreter.Outputs(graph, feeds, variables), variables);
    }

    private static RefTensor F32(float[] data, params int[] shape) => new(GraphCompiler.Compiler.IR.DType.Float32, shape, data.Select(v => (double)v).ToArray());

    private static RefTensor I32(int[] data) => new(GraphCompiler.Compiler.IR.DType.Int32, new[] { data.Length }, data.Select(v => (double)v).ToArray());

    private static RefTensor I64(long[] data) => new(GraphCompiler.Compiler.IR.DType.Int64, new[] { data.Length }, data.Select(v => (double)v).ToArray());

    private static void AssertAgree(RefTensor expected, NDArray<float> actual, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        for (int i = 0; i < expected.Data.Length; i++) AssertClose(expected.Data[i], actual.Data[i], $"{what}[{i}]");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(13)]
    public void EveryShapeOpAgreesForwardAndInATrainStep(int n)
    {
        var rng = new Random(200 + n);
        var model = new ShapeFamilyModel(seed: 5);
        var x = RandomData(rng, n * 4);
        var ids = Enumerable.Range(0, n).Select(_ => rng.Next(7)).ToArray();
        var labels = Enumerable.Range(0, n).Select(i => i % 7).ToArray();
        var rows = new long[] { 6, 2 };
        var feeds = new Dictionary<string, RefTensor> { ["x"] = F32(x, n, 4), ["ids"] = I32(ids), ["labels"] = I32(labels), ["rows"] = I64(rows) };

        var forward = Interpret(model, ShapeFamilyModel.Ir.Forward, feeds).Outputs;
        var (features, picked) = model.Forward(x, ids, labels, rows);
        Assert.Equal(new[] { n, 8 }, features.Shape);
        AssertAgree(forward["item1"], features, "features");
        AssertAgree(forward["item2"], picked, "picked");
        AssertClose(Interpret(model, ShapeFamilyModel.Ir.Loss, feeds).Outputs["result"].Data[0], model.Loss(x, ids, labels, rows), "loss");

        feeds["learning_rate"] = RefTensor.Scalar(0.1, GraphCompiler.Compiler.IR.DType.Float32);
        var (trainOut, updated) = Interpret(model, ShapeFamilyModel.Ir.TrainStep, feeds);
        var tableBefore = ((IModel)model).AllVariables["shapes/table"].ToDoubleArray();
        AssertClose(trainOut["loss"].Data[0], model.TrainStep(x, ids, labels, rows, 0.1f), "train loss");
        AssertVariablesAgree(model, updated);
        // Rows of the table that no lookup touched keep their values exactly.
        var touched = ids.Concat(labels).Select(i => (long)i).Concat(rows).ToHashSet();
        var tableAfter = ((IModel)model).AllVariables["shapes/table"].ToDoubleArray();
        for (int r = 0; r < 7; r++)
            for (int c = 0; c < 3; c++)
                if (!touched.Contains(r)) Assert.Equal(tableBefore[r * 3 + c], tableAfter[r * 3 + c]);
        Assert.NotEqual(tableBefore, tableAfter);
    }

    [Fact]
    public void TheModelsUseEveryShapePrimitive()
    {
        var forward = GraphText.Parse(ShapeFamilyModel.Ir.Forward).Nodes.Select(n => n.OpName).ToHashSet();
        Assert.Superset(new HashSet<string> { "gather", "concat", "strided_slice", "matmul", "reshape", "pad", "one_hot", "tile", "fill", "broadcast_like" }, forward);
        var train = GraphText.Parse(ShapeFamilyModel.Ir.TrainStep).Nodes;
        // The table's update: its three lookups as (values, ids) pairs applied to the looked-up rows only.
        var update = train.Single(n => n.Name == "GradientDescent/update_shapes/table/sparse_gradient_descent");
        Assert.Equal("sparse_gradient_descent", update.OpName);
        Assert.Equal(2 + 3 * 2, update.Inputs.Count);
        Assert.Contains(train, n => n.OpName == "strided_slice_grad");
        Assert.Contains(GraphText.Parse(BatchedMatMulModel.Ir.TrainStep).Nodes, n => n.OpName == "matmul" && n.Shape.Rank == 4);
    }

    [Fact]
    public void AnEmptyBatchGivesEmptyFeatures()
    {
        var model = new ShapeFamilyModel(seed: 5);
        var (features, picked) = model.Forward(Array.Empty<float>(), Array.Empty<int>(), Array.Empty<int>(), new long[] { 0, 1 });
        Assert.Equal(new[] { 0, 8 }, features.Shape);
        Assert.Equal(new[] { 2, 2 }, picked.Shape);
    }

    [Fact]
    public void AnOutOfRangeIdNamesItsPosition()
    {
        var model = new ShapeFamilyModel(seed: 5);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Forward(new float[8], new[] { 1, 9 }, new[] { 0, 0 }, new long[] { 0, 1 }));
        Assert.Contains("ids[1] = 9", e.Message);
        var e64 = Assert.Throws<ArgumentOutOfRangeException>(() => model.Forward(new float[8], new[] { 1, 2 }, new[] { 0, 0 }, new long[] { 0, -1 }));
        Assert.Contains("indices[1] = -1", e64.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void BatchedMatMulAgreesForwardAndInATrainStep(int n)
    {
        var rng = new Random(300 + n);
        var model = new BatchedMatMulModel(seed: 9);
        var a = RandomData(rng, n * 12);
        var b = RandomData(rng, 40);
        var feeds = new Dictionary<string, RefTensor> { ["a"] = F32(a, n, 3, 4), ["b"] = F32(b, 2, 1, 5, 4) };
        AssertClose(Interpret(model, BatchedMatMulModel.Ir.Loss, feeds).Outputs["result"].Data[0], model.Loss(a, b), "loss");
        feeds["learning_rate"] = RefTensor.Scalar(0.05, GraphCompiler.Compiler.IR.DType.Float32);
        var (trainOut, updated) = Interpret(model, BatchedMatMulModel.Ir.TrainStep, feeds);
        AssertClose(trainOut["loss"].Data[0], model.TrainStep(a, b, 0.05f), "train loss");
        AssertVariablesAgree(model, updated);
    }
}
