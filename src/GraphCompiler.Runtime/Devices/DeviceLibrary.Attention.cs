using GraphCompiler.Compiler.Backends.Ilgpu;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using AttentionBody = System.Action<ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>,
    ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, GraphCompiler.Runtime.Devices.AttentionShape,
    GraphCompiler.Runtime.Devices.StridedMap, GraphCompiler.Runtime.Devices.StridedMap>;
using AttentionLaunch = System.Action<ILGPU.KernelConfig, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>,
    ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>,
    GraphCompiler.Runtime.Devices.AttentionShape, GraphCompiler.Runtime.Devices.StridedMap, GraphCompiler.Runtime.Devices.StridedMap>;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// Attention as one kernel (flash-attention style): <c>O = softmax(scale·Q·Kᵀ + B₀ + B₁)·V</c> over the last two
/// axes of Q [items, Tq, dk], K [items, Tk, dk], V [items, Tk, dv], where each additive bias Bᵢ (a padding mask's
/// −1e9 term, a causal band) is read through a <see cref="StridedMap"/> from the flat index of a logit, so a
/// [batch, 1, 1, Tk] mask needs no broadcast copy. One thread group per (item, tile of queries), one thread per
/// query: the group stages its queries and one tile of keys and values at a time in shared memory, each thread
/// scores its query against the tile, and keeps a running maximum, a running sum of exponentials and the
/// weighted sum of values, rescaling them when the maximum grows (the online softmax). Build time decides where it runs (<see cref="IlgpuCapabilities.FusesAttention"/>). The [Tq, Tk] scores are
/// never stored; O is written once, with each row's log-sum-exp. When the graph still reads the softmax's pieces
/// (a train step's backward does), a second sweep over the key tiles writes the exponentials, their row sums and
/// the probabilities from the final maximum and sum, exactly as the unfused row kernel would have.
/// </summary>
public sealed partial class DeviceLibrary
{
    /// <summary>
    /// Runs the fused attention of <paramref name="shape"/>. <paramref name="bias0"/> and <paramref name="bias1"/> are
    /// read through <paramref name="map0"/> and <paramref name="map1"/> when <see cref="AttentionShape.Biases"/> says
    /// so; the optional outputs (the log-sum-exp [items·Tq], the exponentials and probabilities [items·Tq·Tk], the
    /// row sums and row maxima [items·Tq], the last two what <see cref="AttentionBackward"/> reads) are written when their view is not empty.
    /// </summary>
    public void Attention(AttentionShape shape, ArrayView<float> q, ArrayView<float> k, ArrayView<float> v,
        ArrayView<float> bias0, StridedMap map0, ArrayView<float> bias1, StridedMap map1, ArrayView<float> o,
        ArrayView<float> logSumExp = default, ArrayView<float> exps = default, ArrayView<float> sums = default, ArrayView<float> probabilities = default,
        ArrayView<float> maxima = default)
    {
        long rows = (long)shape.Items * shape.Queries, logits = rows * shape.Keys;
        CheckAttention(shape, q, k, v, o, map0, map1);
        int stores = Optional(logSumExp, rows, AttentionShape.StoreLogSumExp, "logSumExp") | Optional(exps, logits, AttentionShape.StoreExps, "exps")
            | Optional(sums, rows, AttentionShape.StoreSums, "sums") | Optional(probabilities, logits, AttentionShape.StoreProbabilities, "probabilities")
            | Optional(maxima, rows, AttentionShape.StoreMaxima, "maxima");
        if (rows == 0 || shape.ValueDepth == 0 && stores == 0) return;
        int tile = Math.Min(IlgpuCapabilities.AttentionTile, _device.Accelerator.MaxNumThreadsPerGroup);
        int queryTiles = (shape.Queries + tile - 1) / tile;
        var launch = _device.Kernels.Load<AttentionBody, AttentionLaunch>(
            AttentionKernel, static (a, kernel) => a.LoadStreamKernel(kernel));
        var config = new KernelConfig(shape.Items * queryTiles, tile, SharedMemoryConfig.RequestDynamic<float>((int)(IlgpuCapabilities.AttentionSharedBytes(tile, shape.KeyDepth, shape.ValueDepth) / sizeof(float))));
        // Views a caller leaves out are never read or written; the kernel still takes a view for each.
        launch(config, q, k, v, Present(bias0, v), Present(bias1, v), o, Present(logSumExp, o), Present(exps, o), Present(sums, o), Present(probabilities, o),
            Present(maxima, o), shape with { Stores = stores }, map0, map1);
    }

    /// <summary>The operands both directions read: their lengths against the shape, and the bias maps against the logits.</summary>
    private static void CheckAttention(AttentionShape shape, ArrayView<float> q, ArrayView<float> k, ArrayView<float> v, ArrayView<float> o, StridedMap map0, StridedMap map1)
    {
        long rows = (long)shape.Items * shape.Queries, logits = rows * shape.Keys;
        Check(q, rows * shape.KeyDepth, "q");
        Check(k, (long)shape.Items * shape.Keys * shape.KeyDepth, "k");
        Check(v, (long)shape.Items * shape.Keys * shape.ValueDepth, "v");
        Check(o, rows * shape.ValueDepth, "o");
        if (shape.Biases > 2 || shape.Biases < 0) throw new ArgumentException($"The attention kernel adds at most two biases, not {shape.Biases}.", nameof(shape));
        if (shape.Biases > 0 && map0.Count != logits || shape.Biases > 1 && map1.Count != logits)
            throw new ArgumentException("A bias map must range over the logits' shape.", nameof(shape));
    }

    private static ArrayView<float> Present(ArrayView<float> view, ArrayView<float> stand) => view.Length == 0 ? stand : view;

    private static void Check(ArrayView<float> view, long length, string name)
    {
        if (view.Length != length) throw new ArgumentException($"{name} has {view.Length} values where the attention shape needs {length}.", name);
    }

    private static int Optional(ArrayView<float> view, long length, int flag, string name)
    {
        if (view.Length == 0) return 0;
        Check(view, length, name);
        return flag;
    }

    internal static void AttentionKernel(ArrayView<float> q, ArrayView<float> k, ArrayView<float> v, ArrayView<float> bias0, ArrayView<float> bias1, ArrayView<float> o,
        ArrayView<float> logSumExp, ArrayView<float> exps, ArrayView<float> sums, ArrayView<float> probabilities, ArrayView<float> maxima, AttentionShape a, StridedMap map0, StridedMap map1)
    {
        int tile = Group.DimX, t = Group.IdxX;
        var (item, query) = TiledRow(a.Queries);
        bool live = query < a.Queries;
        var shared = SharedMemory.GetDynamic<float>();
        var queries = shared.SubView(0, tile * a.KeyDepth);
        var keys = shared.SubView(tile * a.KeyDepth, tile * a.KeyDepth);
        var values = shared.SubView(2 * tile * a.KeyDepth, tile * a.ValueDepth);
        var acc = shared.SubView(2 * tile * a.KeyDepth + tile * a.ValueDepth, tile * a.ValueDepth);
        var scores = shared.SubView(2 * tile * (a.KeyDepth + a.ValueDepth), tile * tile);
        long row = (long)item * a.Queries + query;
        for (int d = 0; d < a.KeyDepth; d++) queries[t * a.KeyDepth + d] = live ? q[row * a.KeyDepth + d] : 0f;
        for (int d = 0; d < a.ValueDepth; d++) acc[t * a.ValueDepth + d] = 0f;
        float max = float.NegativeInfinity, sum = 0f;
        for (int k0 = 0; k0 < a.Keys; k0 += tile)
        {
            StageKeys(k, v, keys, values, a, item, k0, t, withValues: true);
            Group.Barrier();
            int width = Math.Min(tile, a.Keys - k0);
            if (live)
            {
                float tileMax = float.NegativeInfinity;
                for (int j = 0; j < width; j++)
                {
                    float x = Score(queries, keys, bias0, bias1, a, map0, map1, t, j, (row * a.Keys) + k0 + j);
                    scores[t * tile + j] = x;
                    tileMax = Math.Max(tileMax, x);
                }
                float next = Math.Max(max, tileMax);
                // The terms so far were taken against the old maximum: rescale them to the new one.
                float rescale = max == float.NegativeInfinity ? 0f : XMath.Exp(max - next);
                sum *= rescale;
                for (int d = 0; d < a.ValueDepth; d++) acc[t * a.ValueDepth + d] *= rescale;
                for (int j = 0; j < width; j++)
                {
                    float e = XMath.Exp(scores[t * tile + j] - next);
                    sum += e;
                    for (int d = 0; d < a.ValueDepth; d++) acc[t * a.ValueDepth + d] += e * values[j * a.ValueDepth + d];
                }
                max = next;
            }
            Group.Barrier();
        }
        if (live)
        {
            // No keys at all: the product with an empty V is zero, as the unfused GEMM gives.
            float inverse = sum > 0f ? 1f / sum : 0f;
            for (int d = 0; d < a.ValueDepth; d++) o[row * a.ValueDepth + d] = acc[t * a.ValueDepth + d] * inverse;
            if ((a.Stores & AttentionShape.StoreLogSumExp) != 0) logSumExp[row] = max + XMath.Log(sum);
            if ((a.Stores & AttentionShape.StoreSums) != 0) sums[row] = sum;
            if ((a.Stores & AttentionShape.StoreMaxima) != 0) maxima[row] = max;
        }
        if ((a.Stores & (AttentionShape.StoreExps | AttentionShape.StoreProbabilities)) == 0) return;
        // The softmax's pieces for a backward that reads them: every thread of the group takes this branch, so the barriers stay uniform.
        for (int k0 = 0; k0 < a.Keys; k0 += tile)
        {
            StageKeys(k, v, keys, values, a, item, k0, t, withValues: false);
            Group.Barrier();
            int width = Math.Min(tile, a.Keys - k0);
            for (int j = 0; j < width && live; j++)
            {
                long at = row * a.Keys + k0 + j;
                float e = XMath.Exp(Score(queries, keys, bias0, bias1, a, map0, map1, t, j, at) - max);
                if ((a.Stores & AttentionShape.StoreExps) != 0) exps[at] = e;
                if ((a.Stores & AttentionShape.StoreProbabilities) != 0) probabilities[at] = e / sum;
            }
            Group.Barrier();
        }
    }

    /// <summary>The item and the row (query or key) of this thread when each group takes one tile of the <paramref name="rows"/> rows of an item.</summary>
    private static (int Item, int Row) TiledRow(int rows)
    {
        int tile = Group.DimX;
        int tiles = (rows + tile - 1) / tile;
        return (Grid.IdxX / tiles, Grid.IdxX % tiles * tile + Group.IdxX);
    }

    /// <summary>Thread t copies key (and value) row k0 + t of the item into the shared tiles, zeros past the last key.</summary>
    private static void StageKeys(ArrayView<float> k, ArrayView<float> v, ArrayView<float> keys, ArrayView<float> values, AttentionShape a, int item, int k0, int t, bool withValues)
    {
        int key = k0 + t;
        bool inside = key < a.Keys;
        long at = (long)item * a.Keys + key;
        for (int d = 0; d < a.KeyDepth; d++) keys[t * a.KeyDepth + d] = inside ? k[at * a.KeyDepth + d] : 0f;
        if (!withValues) return;
        for (int d = 0; d < a.ValueDepth; d++) values[t * a.ValueDepth + d] = inside ? v[at * a.ValueDepth + d] : 0f;
    }

    /// <summary>scale·q·k plus the biases at logit <paramref name="logit"/>, for the group's query t and staged key j.</summary>
    private static float Score(ArrayView<float> queries, ArrayView<float> keys, ArrayView<float> bias0, ArrayView<float> bias1, AttentionShape a,
        StridedMap map0, StridedMap map1, int t, int j, long logit)
    {
        float dot = 0f;
        for (int d = 0; d < a.KeyDepth; d++) dot += queries[t * a.KeyDepth + d] * keys[j * a.KeyDepth + d];
        float x = a.Scale * dot;
        if (a.Biases > 0) x += bias0[map0.Offset(logit)];
        if (a.Biases > 1) x += bias1[map1.Offset(logit)];
        return x;
    }
}

/// <summary>
/// The sizes of one fused attention: <see cref="Items"/> (batch × heads) independent problems of
/// <see cref="Queries"/> queries over <see cref="Keys"/> keys, head depths, the logits' scale, how many additive
/// biases the logits take, and which optional outputs are stored (set by the library). Public because ILGPU's CPU
/// back end emits its launcher in another assembly.
/// </summary>
public readonly record struct AttentionShape(int Items, int Queries, int Keys, int KeyDepth, int ValueDepth, float Scale, int Biases, int Stores = 0)
{
    public const int StoreLogSumExp = 1, StoreExps = 2, StoreSums = 4, StoreProbabilities = 8, StoreMaxima = 16;
}
