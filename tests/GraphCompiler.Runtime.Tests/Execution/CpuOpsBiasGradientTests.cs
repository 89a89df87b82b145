using GraphCompiler.Runtime.Execution;

namespace GraphCompiler.Runtime.Tests.Execution;

/// <summary><see cref="CpuOps.MatMulColumnSums{T}"/> in both dtypes the generated code uses it with.</summary>
public class CpuOpsBiasGradientTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Double_and_float_give_the_product_and_the_column_sums(bool transB)
    {
        // x [3 batch, 2 in], dY [3 batch, 4 out] (stored [4, 3] when transposed): dW = xᵀ·dY, db = Σ_batch dY.
        double[] x = [1, 2, 3, 4, 5, 6];
        double[] dy = [1, -1, 2, 0.5, 3, 0, -2, 1, -1, 4, 1, 2];
        var dyStored = transB ? Transpose(dy, 3, 4) : dy;
        double[] expectedW = [5, 19, 1, 13.5, 8, 22, 2, 17];
        double[] expectedB = [3, 3, 1, 3.5];

        var dw = new double[8];
        var db = new double[4];
        CpuOps.MatMulColumnSums<double>(true, transB, 2, 4, 3, x, dyStored, dw, db);
        Assert.Equal(expectedW, dw);
        Assert.Equal(expectedB, db);

        var dwF = new float[8];
        var dbF = new float[4];
        CpuOps.MatMulColumnSums<float>(true, transB, 2, 4, 3, x.Select(v => (float)v).ToArray(), dyStored.Select(v => (float)v).ToArray(), dwF, dbF);
        Assert.Equal(expectedW.Select(v => (float)v), dwF);
        Assert.Equal(expectedB.Select(v => (float)v), dbF);
    }

    [Fact]
    public void Double_sums_of_the_wrong_length_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            CpuOps.MatMulColumnSums<double>(true, false, 1, 2, 1, new double[1], new double[2], new double[2], new double[3]));
        Assert.Equal("columnSums", e.ParamName);
    }

    private static double[] Transpose(double[] x, int rows, int cols)
    {
        var t = new double[x.Length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j];
        return t;
    }
}
