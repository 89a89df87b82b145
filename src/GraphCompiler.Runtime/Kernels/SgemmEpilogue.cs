using System.Runtime.CompilerServices;

namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// What the GEMM kernels do to a finished result before storing it: add a per-column bias (when
/// <see cref="Bias"/> is not null), then apply <see cref="Activation"/>. Applied where the C tile is still in
/// registers, once per element, after the last k block — so a dense layer costs no extra pass over C.
/// </summary>
/// <remarks>Plain data (a pointer and an enum) so it rides inside <see cref="SgemmProblem"/> to pool workers.</remarks>
internal readonly unsafe struct SgemmEpilogue(float* bias, GemmActivation activation)
{
    /// <summary>Bias of the problem's column 0 (one value per column of C), or null for none.</summary>
    public readonly float* Bias = bias;

    /// <summary>The activation applied after the bias.</summary>
    public readonly GemmActivation Activation = activation;

    /// <summary>Whether storing is a plain write (no bias, no activation).</summary>
    public bool IsIdentity => Bias == null && Activation == GemmActivation.None;

    /// <summary>Whether results go through relu.</summary>
    public bool Relu => Activation == GemmActivation.Relu;

    /// <summary>The same epilogue for a sub-problem whose column 0 is column <paramref name="col"/> of this one.</summary>
    public SgemmEpilogue ShiftColumns(int col) => Bias == null ? this : new SgemmEpilogue(Bias + col, Activation);

    /// <summary>Scalar form: relu(<paramref name="value"/> + bias[<paramref name="col"/>]) as configured.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Apply(float value, int col)
    {
        if (Bias != null) value += Bias[col];
        // The comparison is false for NaN, so relu maps NaN to 0 like the relu op.
        return Activation == GemmActivation.Relu && !(value > 0f) ? 0f : value;
    }

    /// <summary>Applies the epilogue in place to a rows×cols block of C (row stride <paramref name="ldc"/>).</summary>
    public void ApplyTo(float* c, int rows, int cols, nint ldc)
    {
        if (IsIdentity) return;
        for (int i = 0; i < rows; i++) ApplyToRow(c + i * ldc, cols);
    }

    /// <summary>Applies the epilogue in place to <paramref name="cols"/> values of one row, vectorised.</summary>
    /// <remarks>Edge tiles go through here: a per-element relu branch mispredicts on half the values.</remarks>
    public void ApplyToRow(float* row, int cols)
    {
        var values = new Span<float>(row, cols);
        if (Bias != null) System.Numerics.Tensors.TensorPrimitives.Add(values, new ReadOnlySpan<float>(Bias, cols), values);
        if (Activation == GemmActivation.Relu) SimdRelu.ApplyInPlace(row, cols);
    }
}
