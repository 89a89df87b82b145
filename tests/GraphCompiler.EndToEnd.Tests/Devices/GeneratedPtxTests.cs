using System.Reflection;
using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime.Devices;

namespace GraphCompiler.EndToEnd.Tests.Devices;

/// <summary>
/// Every ILGPU kernel the generator emits for these models (elementwise, row kernels with group
/// reductions, fused optimizer updates) compiles to PTX for SM_90 with ILGPU's PTX back end, on a
/// machine without a GPU: what loading the model on a CUDA device would compile first.
/// </summary>
public class GeneratedPtxTests
{
    public static TheoryData<Type> Models() => new()
    {
        typeof(MlpModel), typeof(DenseLayerModel), typeof(SparseSoftmaxModel), typeof(BroadcastModel), typeof(AdamModel),
        typeof(ShapesModel), typeof(ShapeFamilyModel), typeof(DropoutModel), typeof(HyperNegativeSamplingModel),
        typeof(ConvolutionModel), typeof(WindowGeometryModel), typeof(SequentialCnnModel), typeof(ConvBatchNormModel), typeof(SampledLossModel),
        typeof(LoopRecurrenceModel), typeof(AdamDynamicGruModel), typeof(AdamMultiCellModel),
        typeof(DynamicLstmModel), typeof(AdamDynamicLstmModel), typeof(MathOpsModel), typeof(RowKernelModel),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void EveryGeneratedDeviceKernelCompilesToPtxForSm90(Type model)
    {
        // Device kernels are named after their entry point with Device after it (LossDevice_Dense, TrainStepDevice_AdamUpdate).
        var kernels = model.GetMethods(BindingFlags.Static | BindingFlags.NonPublic)
            .Where(m => m.Name.Contains("Device_", StringComparison.Ordinal) && m.ReturnType == typeof(void))
            .ToList();
        Assert.NotEmpty(kernels);
        using var compiler = new PtxCompiler();
        foreach (var kernel in kernels)
        {
            var ptx = compiler.Compile(kernel);
            Assert.True(PtxCompiler.LoadsOn(ptx, PtxCompiler.Hopper), ptx[..Math.Min(200, ptx.Length)]);
        }
    }
}
