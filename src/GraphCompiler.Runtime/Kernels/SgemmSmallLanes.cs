using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// The vector operations <see cref="SgemmSmall"/> needs, over one lane type, so one generic loop serves
/// AVX-512, AVX2 and scalar code (static abstract members on a struct: the JIT compiles each lane type's
/// loops separately and inlines these).
/// </summary>
internal unsafe interface ISmallLanes<TVec> where TVec : struct
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    /// <summary>All lanes 0.</summary>
    static abstract TVec Zero { get; }

    /// <summary>All lanes <paramref name="value"/>.</summary>
    static abstract TVec Broadcast(float value);

    /// <summary><see cref="Count"/> floats from <paramref name="p"/>.</summary>
    static abstract TVec Load(float* p);

    /// <summary>Stores all lanes at <paramref name="p"/>.</summary>
    static abstract void Store(float* p, TVec value);

    /// <summary>A selector of lanes [0, <paramref name="count"/>), count from 0 to <see cref="Count"/>.</summary>
    static abstract TVec FirstLanes(int count);

    /// <summary>The selected lanes from <paramref name="p"/>, others 0; memory of unselected lanes is not read.</summary>
    static abstract TVec LoadLanes(float* p, TVec lanes);

    /// <summary>Stores the selected lanes only; memory of unselected lanes is not written.</summary>
    static abstract void StoreLanes(float* p, TVec lanes, TVec value);

    /// <summary>a·b + c (fused on the vector paths).</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);

    /// <summary>a·b.</summary>
    static abstract TVec Multiply(TVec a, TVec b);

    /// <summary>a + b.</summary>
    static abstract TVec Add(TVec a, TVec b);

    /// <summary>The sum of all lanes.</summary>
    static abstract float Sum(TVec value);

    /// <summary>c[t] = alpha·(sum of <c>s_t</c>'s lanes) + beta·c[t] for t = 0..3, not reading c when beta is 0.</summary>
    static abstract void StoreSums4(float* c, TVec s0, TVec s1, TVec s2, TVec s3, float alpha, float beta);
}

/// <summary>512-bit lanes (AVX-512F): masked loads and stores for partial vectors.</summary>
internal readonly unsafe struct Lanes512 : ISmallLanes<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    public static Vector512<float> Zero => Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* p) => Vector512.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* p, Vector512<float> value) => value.Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FirstLanes(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadLanes(float* p, Vector512<float> lanes) => Avx512F.MaskLoad(p, lanes, Vector512<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreLanes(float* p, Vector512<float> lanes, Vector512<float> value) => Avx512F.MaskStore(p, lanes, value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Avx512F.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> value) => Vector512.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums4(float* c, Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3,
        float alpha, float beta)
    {
        // Per 128-bit block: interleave pairs and add ([s0, s1, s0, s1] partials), then pick halves and add
        // ([s0, s1, s2, s3] partials); the four blocks are then added together.
        var t01 = Avx512F.UnpackLow(s0, s1) + Avx512F.UnpackHigh(s0, s1);
        var t23 = Avx512F.UnpackLow(s2, s3) + Avx512F.UnpackHigh(s2, s3);
        var u = Avx512F.Shuffle(t01, t23, 0x44) + Avx512F.Shuffle(t01, t23, 0xEE);
        var v = u.GetLower() + u.GetUpper();
        Lanes128.StoreScaled(c, v.GetLower() + v.GetUpper(), alpha, beta);
    }
}

/// <summary>256-bit lanes (AVX2 + FMA): vmaskmovps for partial vectors.</summary>
internal readonly unsafe struct Lanes256 : ISmallLanes<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    public static Vector256<float> Zero => Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* p) => Vector256.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* p, Vector256<float> value) => value.Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> FirstLanes(int count) =>
        Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadLanes(float* p, Vector256<float> lanes) => Avx.MaskLoad(p, lanes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreLanes(float* p, Vector256<float> lanes, Vector256<float> value) => Avx.MaskStore(p, lanes, value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Fma.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> value) => Vector256.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums4(float* c, Vector256<float> s0, Vector256<float> s1, Vector256<float> s2, Vector256<float> s3,
        float alpha, float beta)
    {
        // As Lanes512.StoreSums4, with two 128-bit blocks.
        var t01 = Avx.UnpackLow(s0, s1) + Avx.UnpackHigh(s0, s1);
        var t23 = Avx.UnpackLow(s2, s3) + Avx.UnpackHigh(s2, s3);
        var u = Avx.Shuffle(t01, t23, 0x44) + Avx.Shuffle(t01, t23, 0xEE);
        Lanes128.StoreScaled(c, u.GetLower() + u.GetUpper(), alpha, beta);
    }
}

/// <summary>The 4-wide finish shared by the vector lanes' <c>StoreSums4</c>.</summary>
internal static unsafe class Lanes128
{
    /// <summary>c[0..4] = alpha·sums + beta·c[0..4], not reading c when beta is 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreScaled(float* c, Vector128<float> sums, float alpha, float beta)
    {
        var r = sums * Vector128.Create(alpha);
        if (beta != 0f) r += Vector128.Create(beta) * Vector128.Load(c);
        r.Store(c);
    }
}

/// <summary>One float per "vector": plain C# for machines without AVX2, and the same loops as the vector paths.</summary>
internal readonly unsafe struct LanesScalar : ISmallLanes<float>
{
    public static int Count => 1;

    public static float Zero => 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Broadcast(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(float* p) => *p;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* p, float value) => *p = value;

    // Width 1 never has a partial vector; a selector of 0 lanes is kept correct all the same.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float FirstLanes(int count) => count > 0 ? 1f : 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LoadLanes(float* p, float lanes) => lanes != 0f ? *p : 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreLanes(float* p, float lanes, float value)
    {
        if (lanes != 0f) *p = value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float c) => a * b + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Multiply(float a, float b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float a, float b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums4(float* c, float s0, float s1, float s2, float s3, float alpha, float beta)
    {
        c[0] = beta == 0f ? alpha * s0 : alpha * s0 + beta * c[0];
        c[1] = beta == 0f ? alpha * s1 : alpha * s1 + beta * c[1];
        c[2] = beta == 0f ? alpha * s2 : alpha * s2 + beta * c[2];
        c[3] = beta == 0f ? alpha * s3 : alpha * s3 + beta * c[3];
    }
}
