using GraphCompiler.Compiler.Model;

namespace GraphCompiler.Runtime;

/// <summary>
/// The layout of a gradient set whose sizes are a model's hyperparameters, planned when the set is made:
/// each gradient's offset in the flat buffer, the buffer's length and the all-reduce buckets, cut as the
/// build cuts static layouts (<see cref="GradientBuckets.Plan"/>).
/// </summary>
public sealed class GradientLayout
{
    private GradientLayout(int total, IReadOnlyList<int> offsets, IReadOnlyList<GradientBucket> buckets)
    {
        Total = total;
        Offsets = offsets;
        Buckets = buckets;
    }

    /// <summary>The float32 elements of every gradient together.</summary>
    public int Total { get; }

    /// <summary>Where each gradient starts, in variable order.</summary>
    public IReadOnlyList<int> Offsets { get; }

    public IReadOnlyList<GradientBucket> Buckets { get; }

    /// <summary>The layout of gradients with these element <paramref name="counts"/>, of the variables <paramref name="names"/>, in variable order.</summary>
    public static GradientLayout Plan(int[] counts, string[] names)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(names);
        if (counts.Length != names.Length) throw new ArgumentException($"{counts.Length} counts for {names.Length} variables", nameof(counts));
        var offsets = new int[counts.Length];
        int total = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            offsets[i] = total;
            total = checked(total + counts[i]);
        }
        var buckets = GradientBuckets.Plan(counts).Select(r => new GradientBucket(
            DType.Float32, offsets[r.First], offsets[r.Last] + counts[r.Last] - offsets[r.First],
            Enumerable.Range(r.First, r.Last - r.First + 1).Reverse().Select(i => names[i]).ToList())).ToList();
        return new GradientLayout(total, offsets, buckets);
    }
}
