using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using KeyGradBody = System.Action<ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>,
    ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, GraphCompiler.Runtime.Devices.AttentionShape,
    GraphCompiler.Runtime.Devices.StridedMap, GraphCompiler.Runtime.Devices.StridedMap>;
using KeyGradLaunch = System.Action<ILGPU.KernelConfig, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>,
    ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>,
    GraphCompiler.Runtime.Devices.AttentionShape, GraphCompiler.Runtime.Devices.StridedMap, GraphCompiler.Runtime.Devices.StridedMap>;
using QueryGradBody = System.Action<ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>,
    ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, GraphCompiler.Runtime.Devices.AttentionShape, GraphCompiler.Runtime.Devices.StridedMap,
    GraphCompiler.Runtime.Devices.StridedMap>;
using QueryGradLaunch = System.Action<ILGPU.KernelConfig, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>,
    ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, GraphCompiler.Runtime.Devices.AttentionShape,
    GraphCompiler.Runtime.Devices.StridedMap, GraphCompiler.Runtime.Devices.StridedMap>;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// The gradient of the fused attention (flash-attention-2 style) from what its forward keeps: Q, K, V, the output O,
/// each row's maximum and sum of exponentials (whose log-sum-exp is L = max + log sum) and the biases. With D = rowsum(dO∘O), every tile recomputes S = scale·Q·Kᵀ + B₀ + B₁
/// and P = exp(S − L), so no [Tq, Tk] tensor exists in device memory: dV = Pᵀ·dO, dP = dO·Vᵀ, dS = P∘(dP − D),
/// dQ = scale·dS·K, dK = scale·dSᵀ·Q. Two kernels, each thread owning the rows it writes, so the sums run in a fixed
/// order and the result is deterministic (no atomics): one group per (item, tile of keys) accumulates dK and dV over
/// query tiles staged in shared memory, one group per (item, tile of queries) accumulates dQ over key tiles. The
/// scores are computed twice, once per kernel — the price of not adding partial dQ rows across key tiles with atomics.
/// </summary>
public sealed partial class DeviceLibrary
{
    /// <summary>
    /// Writes dQ [items·Tq·dk], dK [items·Tk·dk] and dV [items·Tk·dv] of the attention of <paramref name="shape"/>
    /// (whose <see cref="AttentionShape.Stores"/> is ignored) given its output <paramref name="o"/>, the output's
    /// gradient <paramref name="dO"/> [items·Tq·dv] and the forward's row maxima and sums of exponentials [items·Tq]
    /// (graph values of the softmax, so a compiled train step passes them as they are).
    /// The biases are read as by <see cref="Attention"/>; they take no gradient (masks are constants).
    /// </summary>
    public void AttentionBackward(AttentionShape shape, ArrayView<float> q, ArrayView<float> k, ArrayView<float> v,
        ArrayView<float> bias0, StridedMap map0, ArrayView<float> bias1, StridedMap map1, ArrayView<float> o, ArrayView<float> dO,
        ArrayView<float> rowMax, ArrayView<float> rowSums, ArrayView<float> dQ, ArrayView<float> dK, ArrayView<float> dV)
    {
        long rows = (long)shape.Items * shape.Queries, keyRows = (long)shape.Items * shape.Keys;
        CheckAttention(shape, q, k, v, o, map0, map1);
        Check(dO, rows * shape.ValueDepth, "dO");
        Check(rowMax, rows, "rowMax");
        Check(rowSums, rows, "rowSums");
        Check(dQ, rows * shape.KeyDepth, "dQ");
        Check(dK, keyRows * shape.KeyDepth, "dK");
        Check(dV, keyRows * shape.ValueDepth, "dV");
        int tile = Math.Min(Compiler.Backends.Ilgpu.IlgpuCapabilities.AttentionTile, _device.Accelerator.MaxNumThreadsPerGroup);
        var (b0, b1) = (Present(bias0, q), Present(bias1, q));
        var args = shape with { Stores = 0 };
        if (keyRows > 0)
        {
            var keyGrads = _device.Kernels.Load<KeyGradBody, KeyGradLaunch>(AttentionKeyGradKernel, static (a, kernel) => a.LoadStreamKernel(kernel));
            int keyTiles = (shape.Keys + tile - 1) / tile;
            keyGrads(new KernelConfig(shape.Items * keyTiles, tile, SharedMemoryConfig.RequestDynamic<float>(KeyGradSharedFloats(tile, shape.KeyDepth, shape.ValueDepth))),
                q, k, v, b0, b1, o, dO, rowMax, rowSums, dK, dV, args, map0, map1);
        }
        if (rows > 0 && shape.KeyDepth > 0)
        {
            var queryGrads = _device.Kernels.Load<QueryGradBody, QueryGradLaunch>(AttentionQueryGradKernel, static (a, kernel) => a.LoadStreamKernel(kernel));
            int queryTiles = (shape.Queries + tile - 1) / tile;
            queryGrads(new KernelConfig(shape.Items * queryTiles, tile, SharedMemoryConfig.RequestDynamic<float>(QueryGradSharedFloats(tile, shape.KeyDepth, shape.ValueDepth))),
                q, k, v, b0, b1, o, dO, rowMax, rowSums, dQ, args, map0, map1);
        }
    }

    private static float LogSumExp(ArrayView<float> rowMax, ArrayView<float> rowSums, long row) => rowMax[row] + XMath.Log(rowSums[row]);

    /// <summary>The key-side kernel's shared floats: a tile of queries [tile, dk] and of dO [tile, dv], the group's dK and dV sums, L and D of the tile.</summary>
    internal static int KeyGradSharedFloats(int tile, int keyDepth, int valueDepth) => tile * (2 * keyDepth + 2 * valueDepth + 2);

    /// <summary>The query-side kernel's shared floats: a tile of keys [tile, dk] and values [tile, dv], the group's dQ sums.</summary>
    internal static int QueryGradSharedFloats(int tile, int keyDepth, int valueDepth) => tile * (2 * keyDepth + valueDepth);

    /// <summary>One group per (item, tile of keys), one thread per key: dK and dV of its key, summed over all queries in order.</summary>
    internal static void AttentionKeyGradKernel(ArrayView<float> q, ArrayView<float> k, ArrayView<float> v, ArrayView<float> bias0, ArrayView<float> bias1, ArrayView<float> o,
        ArrayView<float> dO, ArrayView<float> rowMax, ArrayView<float> rowSums, ArrayView<float> dK, ArrayView<float> dV, AttentionShape a, StridedMap map0, StridedMap map1)
    {
        int tile = Group.DimX, t = Group.IdxX, dk = a.KeyDepth, dv = a.ValueDepth;
        var (item, key) = TiledRow(a.Keys);
        bool live = key < a.Keys;
        var shared = SharedMemory.GetDynamic<float>();
        var queries = shared.SubView(0, tile * dk);
        var outGrads = shared.SubView(tile * dk, tile * dv);
        var keyGrad = shared.SubView(tile * (dk + dv), tile * dk);
        var valueGrad = shared.SubView(tile * (2 * dk + dv), tile * dv);
        var lse = shared.SubView(tile * (2 * dk + 2 * dv), tile);
        var delta = shared.SubView(tile * (2 * dk + 2 * dv + 1), tile);
        long keyRow = (long)item * a.Keys + (live ? key : 0);
        var ownKey = k.SubView(keyRow * dk, dk);
        for (int d = 0; d < dk; d++) keyGrad[t * dk + d] = 0f;
        for (int d = 0; d < dv; d++) valueGrad[t * dv + d] = 0f;
        for (int q0 = 0; q0 < a.Queries; q0 += tile)
        {
            // Thread t stages query q0 + t: its row of Q and dO, its L and its D = dO·O.
            int query = q0 + t;
            bool inside = query < a.Queries;
            long row = (long)item * a.Queries + query;
            for (int d = 0; d < dk; d++) queries[t * dk + d] = inside ? q[row * dk + d] : 0f;
            float dot = 0f;
            for (int d = 0; d < dv; d++)
            {
                float g = inside ? dO[row * dv + d] : 0f;
                outGrads[t * dv + d] = g;
                if (inside) dot += g * o[row * dv + d];
            }
            lse[t] = inside ? LogSumExp(rowMax, rowSums, row) : 0f;
            delta[t] = dot;
            Group.Barrier();
            int height = Math.Min(tile, a.Queries - q0);
            for (int i = 0; i < height && live; i++)
            {
                long logit = ((long)item * a.Queries + q0 + i) * a.Keys + key;
                float p = XMath.Exp(Score(queries, ownKey, bias0, bias1, a, map0, map1, i, 0, logit) - lse[i]);
                float dp = 0f;
                for (int d = 0; d < dv; d++)
                {
                    float g = outGrads[i * dv + d];
                    dp += g * v[keyRow * dv + d];
                    valueGrad[t * dv + d] += p * g;
                }
                float ds = a.Scale * p * (dp - delta[i]);
                for (int d = 0; d < dk; d++) keyGrad[t * dk + d] += ds * queries[i * dk + d];
            }
            Group.Barrier();
        }
        if (!live) return;
        for (int d = 0; d < dk; d++) dK[keyRow * dk + d] = keyGrad[t * dk + d];
        for (int d = 0; d < dv; d++) dV[keyRow * dv + d] = valueGrad[t * dv + d];
    }

    /// <summary>One group per (item, tile of queries), one thread per query: dQ of its query, summed over all keys in order.</summary>
    internal static void AttentionQueryGradKernel(ArrayView<float> q, ArrayView<float> k, ArrayView<float> v, ArrayView<float> bias0, ArrayView<float> bias1, ArrayView<float> o,
        ArrayView<float> dO, ArrayView<float> rowMax, ArrayView<float> rowSums, ArrayView<float> dQ, AttentionShape a, StridedMap map0, StridedMap map1)
    {
        int tile = Group.DimX, t = Group.IdxX, dk = a.KeyDepth, dv = a.ValueDepth;
        var (item, query) = TiledRow(a.Queries);
        bool live = query < a.Queries;
        var shared = SharedMemory.GetDynamic<float>();
        var keys = shared.SubView(0, tile * dk);
        var values = shared.SubView(tile * dk, tile * dv);
        var queryGrad = shared.SubView(tile * (dk + dv), tile * dk);
        long row = (long)item * a.Queries + (live ? query : 0);
        var ownQuery = q.SubView(row * dk, dk);
        float lse = 0f, delta = 0f;
        if (live)
        {
            lse = LogSumExp(rowMax, rowSums, row);
            for (int d = 0; d < dv; d++) delta += dO[row * dv + d] * o[row * dv + d];
        }
        for (int d = 0; d < dk; d++) queryGrad[t * dk + d] = 0f;
        for (int k0 = 0; k0 < a.Keys; k0 += tile)
        {
            StageKeys(k, v, keys, values, a, item, k0, t, withValues: true);
            Group.Barrier();
            int width = Math.Min(tile, a.Keys - k0);
            for (int j = 0; j < width && live; j++)
            {
                float p = XMath.Exp(Score(ownQuery, keys, bias0, bias1, a, map0, map1, 0, j, row * a.Keys + k0 + j) - lse);
                float dp = 0f;
                for (int d = 0; d < dv; d++) dp += dO[row * dv + d] * values[j * dv + d];
                float ds = a.Scale * p * (dp - delta);
                for (int d = 0; d < dk; d++) queryGrad[t * dk + d] += ds * keys[j * dk + d];
            }
            Group.Barrier();
        }
        if (!live) return;
        for (int d = 0; d < dk; d++) dQ[row * dk + d] = queryGrad[t * dk + d];
    }
}
