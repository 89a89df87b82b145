using GraphCompiler.Runtime.Devices;
using GraphCompiler.Runtime.Execution;
using ILGPU;
using ILGPU.Runtime;

namespace GraphCompiler.Runtime.Tests.Devices;

/// <summary>
/// Device kernels call the CPU path's own special functions (<see cref="CpuOps"/>: sigmoid, softplus,
/// log1p, erf in float and double). ILGPU compiles them for a GPU, and on the CPU accelerator they give
/// the host's results bit for bit, edge values included.
/// </summary>
[Collection(IlgpuCpuCollection.Name)]
public class SpecialFunctionsDeviceTests(IlgpuCpuFixture fixture)
{
    private const int Functions = 4;

    private static readonly double[] Inputs =
        [-40, -7, -3.3, -0.5, -1e-9, -0.0, 0, 1e-12, 1e-7, 0.37, 1, 2.5, 5.9, 6, 17, 40, 800,
         double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, -1, -0.999999];

    [Fact]
    public void Float_kernels_match_the_host_bit_for_bit()
    {
        var x = Inputs.Select(v => (float)v).ToArray();
        using var input = fixture.Upload(x);
        using var output = fixture.Upload(new float[x.Length * Functions]);
        fixture.Device.Kernels.Auto<ArrayView<float>, ArrayView<float>>(FloatKernel)(x.Length, IlgpuCpuFixture.View(input, x.Length), IlgpuCpuFixture.View(output, x.Length * Functions));
        var got = fixture.Download(output, x.Length * Functions);
        for (int i = 0; i < x.Length; i++)
        {
            float[] want = [CpuOps.Sigmoid(x[i]), CpuOps.Softplus(x[i]), CpuOps.Log1p(x[i]), CpuOps.Erf(x[i])];
            for (int f = 0; f < Functions; f++)
                Assert.True(BitConverter.SingleToInt32Bits(want[f]) == BitConverter.SingleToInt32Bits(got[i * Functions + f]),
                    $"function {f} at {x[i]:R}: device {got[i * Functions + f]:R}, host {want[f]:R}");
        }
    }

    [Fact]
    public void Double_kernels_match_the_host_bit_for_bit()
    {
        using var input = fixture.Upload(Inputs);
        using var output = fixture.Upload(new double[Inputs.Length * Functions]);
        fixture.Device.Kernels.Auto<ArrayView<double>, ArrayView<double>>(DoubleKernel)(Inputs.Length, IlgpuCpuFixture.View(input, Inputs.Length), IlgpuCpuFixture.View(output, Inputs.Length * Functions));
        var got = fixture.Download(output, Inputs.Length * Functions);
        for (int i = 0; i < Inputs.Length; i++)
        {
            double x = Inputs[i];
            double[] want = [CpuOps.Sigmoid(x), CpuOps.Softplus(x), CpuOps.Log1p(x), CpuOps.Erf(x)];
            for (int f = 0; f < Functions; f++)
                Assert.True(BitConverter.DoubleToInt64Bits(want[f]) == BitConverter.DoubleToInt64Bits(got[i * Functions + f]),
                    $"function {f} at {x:R}: device {got[i * Functions + f]:R}, host {want[f]:R}");
        }
    }

    [Fact]
    public void The_shared_functions_compile_to_ptx_for_a_gpu()
    {
        using var compiler = new PtxCompiler();
        foreach (var kernel in new Action<Index1D, ArrayView<float>, ArrayView<float>>[] { FloatKernel }.Select(k => k.Method)
                     .Concat(new Action<Index1D, ArrayView<double>, ArrayView<double>>[] { DoubleKernel }.Select(k => k.Method)))
        {
            var ptx = compiler.Compile(kernel);
            Assert.True(PtxCompiler.LoadsOn(ptx, PtxCompiler.Hopper), kernel.Name);
            // The BCL's exp and log became device code, not external functions the driver could not link.
            Assert.DoesNotContain(".extern", ptx, StringComparison.Ordinal);
        }
    }

    private static void FloatKernel(Index1D i, ArrayView<float> x, ArrayView<float> y)
    {
        y[i * Functions] = CpuOps.Sigmoid(x[i]);
        y[i * Functions + 1] = CpuOps.Softplus(x[i]);
        y[i * Functions + 2] = CpuOps.Log1p(x[i]);
        y[i * Functions + 3] = CpuOps.Erf(x[i]);
    }

    private static void DoubleKernel(Index1D i, ArrayView<double> x, ArrayView<double> y)
    {
        y[i * Functions] = CpuOps.Sigmoid(x[i]);
        y[i * Functions + 1] = CpuOps.Softplus(x[i]);
        y[i * Functions + 2] = CpuOps.Log1p(x[i]);
        y[i * Functions + 3] = CpuOps.Erf(x[i]);
    }
}
