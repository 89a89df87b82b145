using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using ILGPU.Runtime;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// Loads each kernel once per device context and remembers how long each load took. ILGPU compiles a
/// kernel (IL to its IR, then to PTX or to a CPU simulation) when it is loaded, which costs far more than
/// a launch; generated code asks this cache for the launcher every time and pays the compile once.
/// ILGPU's own caches (on by default in its context) make a second load of the same method cheap as well,
/// but only within that context, and they neither report the time nor keep the launcher delegate.
/// </summary>
public sealed partial class KernelCache
{
    private readonly Accelerator _accelerator;
    private readonly Dictionary<(MethodInfo Method, Type Launcher), Delegate> _launchers = new();
    private readonly List<KernelLoad> _loads = new();
    private readonly Lock _lock = new();

    private readonly int? _flatGroupSize;

    /// <param name="accelerator">Where the kernels load.</param>
    /// <param name="flatGroupSize">The group size of kernels over an implicit 1-D grid (<see cref="Auto{T1}"/>);
    /// null lets ILGPU choose (a GPU), 1 avoids the group barriers ILGPU's CPU accelerator runs between groups.</param>
    internal KernelCache(Accelerator accelerator, int? flatGroupSize)
    {
        _accelerator = accelerator;
        _flatGroupSize = flatGroupSize;
    }

    /// <summary>
    /// The launcher of <paramref name="kernel"/>, loaded with <paramref name="load"/> on the first call
    /// (for example <c>(a, k) =&gt; a.LoadAutoGroupedStreamKernel(k)</c>) and cached by kernel method and
    /// launcher type after that.
    /// </summary>
    public TLauncher Load<TKernel, TLauncher>(TKernel kernel, Func<Accelerator, TKernel, TLauncher> load)
        where TKernel : Delegate
        where TLauncher : Delegate
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(load);
        var key = (kernel.Method, typeof(TLauncher));
        lock (_lock)
        {
            if (_launchers.TryGetValue(key, out var cached)) return (TLauncher)cached;
            var clock = Stopwatch.StartNew();
            var launcher = load(_accelerator, kernel);
            _loads.Add(new KernelLoad(NameOf(kernel.Method), clock.Elapsed));
            _launchers.Add(key, launcher);
            return launcher;
        }
    }

    /// <summary>Every load so far, in order.</summary>
    public IReadOnlyList<KernelLoad> Loads
    {
        get { lock (_lock) return _loads.ToArray(); }
    }

    /// <summary>The time spent compiling and loading kernels so far.</summary>
    public TimeSpan TotalLoadTime => Loads.Aggregate(TimeSpan.Zero, (sum, l) => sum + l.Elapsed);

    /// <summary>One line per kernel and a total, e.g. for a sample's start-up log.</summary>
    public string Report()
    {
        var loads = Loads;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{loads.Count} kernel{(loads.Count == 1 ? "" : "s")} loaded in {TotalLoadTime.TotalMilliseconds:F0} ms");
        foreach (var load in loads)
            text.Append(CultureInfo.InvariantCulture, $"\n  {load.Kernel}: {load.Elapsed.TotalMilliseconds:F0} ms");
        return text.ToString();
    }

    private static string NameOf(MethodInfo method)
    {
        var name = (method.DeclaringType?.Name ?? "") + "." + method.Name;
        return method.IsGenericMethod ? name + "<" + string.Join(", ", method.GetGenericArguments().Select(t => t.Name)) + ">" : name;
    }
}
