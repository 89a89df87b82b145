using System.Globalization;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Passes;

namespace GraphCompiler.Compiler.Emit;

/// <summary>
/// Where in <c>ComputeGradients</c>' kernel schedule each all-reduce bucket becomes complete: after the last
/// kernel that stores one of its gradients. There the generated code copies the bucket's gradients into the
/// set and calls <c>gradients.BucketReady(b)</c>, so that data-parallel training can start that bucket's
/// all-reduce while the kernels of earlier layers still run. Buckets are signalled in their own order (a bucket
/// finished early waits for the ones before it): every rank runs the same schedule, and one fixed order keeps
/// the ranks' collectives matched and the runtime's bookkeeping simple. Buckets are filled from the last
/// variable backwards (<see cref="Model.GradientBuckets"/>), which is the order the backward pass finishes
/// them in, so the wait is rarely taken.
/// </summary>
internal sealed class GradientBucketSchedule
{
    private readonly IReadOnlyList<GradientSetEmitter.Bucket> _buckets;
    private readonly IReadOnlyList<KernelDescription> _kernels;
    private readonly int[] _readyAfter;
    private int _emitted;

    private GradientBucketSchedule(IReadOnlyList<GradientSetEmitter.Bucket> buckets, IReadOnlyList<KernelDescription> kernels, int[] readyAfter, Node?[] completedBy)
    {
        _buckets = buckets;
        _kernels = kernels;
        _readyAfter = readyAfter;
        Report = readyAfter.Select((k, b) => new GradientSchedulePosition(b, k, kernels.Count, completedBy[b]?.Name)).ToList();
    }

    /// <summary>The schedule of <paramref name="buckets"/> over <paramref name="kernels"/>, the compiled <paramref name="graph"/>'s.</summary>
    public static GradientBucketSchedule Plan(Graph graph, IReadOnlyList<KernelDescription> kernels, IReadOnlyList<GradientSetEmitter.Bucket> buckets)
    {
        var producer = new Dictionary<Node, int>();
        for (int i = 0; i < kernels.Count; i++)
            foreach (var o in kernels[i].Outputs)
                producer[o] = i;
        var readyAfter = new int[buckets.Count];
        var completedBy = new Node?[buckets.Count];
        // A gradient that no kernel stores (a constant) is there from the start; a bucket is never signalled
        // before the first kernel has run, nor before the bucket ahead of it (whose gradient then names the kernel).
        int ready = 0;
        Node? gate = null;
        for (int b = 0; b < buckets.Count; b++)
        {
            foreach (var v in buckets[b].Variables)
            {
                var node = graph.Output(GradientSplitPass.GradientName(v));
                if (producer.TryGetValue(node, out var k) && (k > ready || gate is null)) (ready, gate) = (Math.Max(k, ready), node);
            }
            (readyAfter[b], completedBy[b]) = (ready, gate);
        }
        return new GradientBucketSchedule(buckets, kernels, readyAfter, completedBy);
    }

    /// <summary>
    /// The lines after <paramref name="kernel"/>: for every bucket it completes, the stores of the bucket's
    /// gradients and its signal. <paramref name="store"/> spells the store of one variable's gradient.
    /// </summary>
    public IEnumerable<string> After(KernelDescription kernel, Func<string, string> store)
    {
        int position = IndexOf(kernel);
        while (_emitted < _buckets.Count && _readyAfter[_emitted] <= position) foreach (var line in Signal(_emitted++, store)) yield return line;
    }

    /// <summary>The buckets no kernel call has signalled yet (none when the schedule ran to its end), for the end of the method.</summary>
    public IEnumerable<string> Rest(Func<string, string> store)
    {
        while (_emitted < _buckets.Count) foreach (var line in Signal(_emitted++, store)) yield return line;
    }

    private IEnumerable<string> Signal(int b, Func<string, string> store)
    {
        yield return $"// {Report[b].Describe()}: all-reduce bucket {b} ({string.Join(", ", _buckets[b].Variables)}) is complete";
        foreach (var v in _buckets[b].Variables) yield return store(v);
        yield return $"gradients.BucketReady({b});";
    }

    private int IndexOf(KernelDescription kernel)
    {
        for (int i = 0; i < _kernels.Count; i++)
            if (ReferenceEquals(_kernels[i], kernel)) return i;
        throw new InvalidOperationException($"kernel {kernel.Name} is not in the schedule of the gradient buckets");
    }

    /// <summary>Where each bucket becomes ready, for the build report.</summary>
    public IReadOnlyList<GradientSchedulePosition> Report { get; }
}

/// <summary>Bucket <see cref="Bucket"/> is ready after kernel <see cref="Kernel"/> (0-based) of <see cref="Kernels"/>, which stores <see cref="Gradient"/>.</summary>
internal sealed record GradientSchedulePosition(int Bucket, int Kernel, int Kernels, string? Gradient)
{
    public string Describe() => Kernels == 0 ? "ready at the start (no kernels)"
        : string.Format(CultureInfo.InvariantCulture, "ready after kernel {0} of {1} ({2})", Kernel + 1, Kernels, Gradient ?? "its gradients are constants");
}
