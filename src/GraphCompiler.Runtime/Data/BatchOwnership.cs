using System.Runtime.CompilerServices;

namespace GraphCompiler.Runtime.Data;

/// <summary>
/// Implemented by batches whose buffers are recycled (<see cref="Batch{T}"/>), so that pipeline stages and the
/// training loop can pin, release and size them without knowing their element type.
/// </summary>
internal interface IBatchOwnership
{
    /// <summary>The number of elements in the batch.</summary>
    int Count { get; }

    /// <summary>Keeps the buffer for good: a later release does nothing (used by caches).</summary>
    void Pin();

    /// <summary>Hands the buffer back for reuse; the batch must not be read afterwards.</summary>
    void Release();
}

/// <summary>Applies <see cref="IBatchOwnership"/> to an element, or to each part of a tuple element.</summary>
internal static class BatchOwnership
{
    /// <summary>Pins every recyclable batch in <paramref name="item"/> (see <see cref="IBatchOwnership.Pin"/>).</summary>
    public static void Pin<T>(T item) => ForEach(item, static b => b.Pin());

    /// <summary>Releases every recyclable batch in <paramref name="item"/> (see <see cref="IBatchOwnership.Release"/>).</summary>
    public static void Release<T>(T item) => ForEach(item, static b => b.Release());

    /// <summary>
    /// The number of examples in <paramref name="item"/> when it can be told: a batch, an array, or a tuple whose
    /// first part is one of these.
    /// </summary>
    public static int? TryGetCount<T>(T item) => item switch
    {
        IBatchOwnership batch => batch.Count,
        Array array => array.Length,
        ITuple { Length: > 0 } tuple => tuple[0] switch
        {
            IBatchOwnership batch => batch.Count,
            Array array => array.Length,
            _ => null,
        },
        _ => null,
    };

    private static void ForEach<T>(T item, Action<IBatchOwnership> action)
    {
        if (!MayHoldBatches<T>.Value) return;
        if (item is IBatchOwnership batch)
        {
            action(batch);
        }
        else if (item is ITuple tuple)
        {
            for (int i = 0; i < tuple.Length; i++)
                if (tuple[i] is IBatchOwnership part) action(part);
        }
    }

    // Decided once per type, so that float[] or string elements never pay for the type tests or tuple boxing.
    private static class MayHoldBatches<T>
    {
        public static readonly bool Value =
            !typeof(T).IsSealed || typeof(IBatchOwnership).IsAssignableFrom(typeof(T)) || typeof(ITuple).IsAssignableFrom(typeof(T));
    }
}
