using ILGPU;
using ILGPU.Runtime;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// Typed loaders for generated kernels, one per parameter count, so that generated code names each
/// kernel's parameter types once: <see cref="Auto{T1}"/> for kernels over an implicit 1-D grid
/// (elementwise; one thread per group on ILGPU's CPU accelerator, ILGPU's choice on a GPU), <see cref="Grouped{T1}"/> for kernels launched one group per row (row kernels).
/// (ILGPU's typed loaders go up to 14 kernel parameters; a wider generated kernel takes its views packed in one struct.) Both load through <see cref="Load"/>, so each kernel is compiled once per context.
/// </summary>
public sealed partial class KernelCache
{
    /// <summary>The launcher of an implicitly grouped kernel over an <see cref="Index1D"/> grid.</summary>
    public Action<Index1D, T1> Auto<T1>(Action<Index1D, T1> kernel) where T1 : struct =>
        Load<Action<Index1D, T1>, Action<Index1D, T1>>(kernel, (a, k) => _flatGroupSize is int g ? a.LoadImplicitlyGroupedStreamKernel(k, g) : a.LoadAutoGroupedStreamKernel(k));

    /// <summary>The launcher of an explicitly grouped kernel (grid and group size given at each launch).</summary>
    public Action<KernelConfig, T1> Grouped<T1>(Action<T1> kernel) where T1 : struct =>
        Load<Action<T1>, Action<KernelConfig, T1>>(kernel, static (a, k) => a.LoadStreamKernel(k));

    /// <inheritdoc cref="Auto{T1}"/>
    public Action<Index1D, T1, T2> Auto<T1, T2>(Action<Index1D, T1, T2> kernel) where T1 : struct where T2 : struct =>
        Load<Action<Index1D, T1, T2>, Action<Index1D, T1, T2>>(kernel, (a, k) => _flatGroupSize is int g ? a.LoadImplicitlyGroupedStreamKernel(k, g) : a.LoadAutoGroupedStreamKernel(k));

    /// <inheritdoc cref="Grouped{T1}"/>
    public Action<KernelConfig, T1, T2> Grouped<T1, T2>(Action<T1, T2> kernel) where T1 : struct where T2 : struct =>
        Load<Action<T1, T2>, Action<KernelConfig, T1, T2>>(kernel, static (a, k) => a.LoadStreamKernel(k));

    /// <inheritdoc cref="Auto{T1}"/>
    public Action<Index1D, T1, T2, T3> Auto<T1, T2, T3>(Action<Index1D, T1, T2, T3> kernel) where T1 : struct where T2 : struct where T3 : struct =>
        Load<Action<Index1D, T1, T2, T3>, Action<Index1D, T1, T2, T3>>(kernel, (a, k) => _flatGroupSize is int g ? a.LoadImplicitlyGroupedStreamKernel(k, g) : a.LoadAutoGroupedStreamKernel(k));

    /// <inheritdoc cref="Grouped{T1}"/>
    public Action<KernelConfig, T1, T2, T3> Grouped<T1, T2, T3>(Action<T1, T2, T3> kernel) where T1 : struct where T2 : struct where T3 : struct =>
        Load<Action<T1, T2, T3>, Action<KernelConfig, T1, T2, T3>>(kernel, static (a, k) => a.LoadStreamKernel(k));

    /// <inheritdoc cref="Auto{T1}"/>
    public Action<Index1D, T1, T2, T3, T4> Auto<T1, T2, T3, T4>(Action<Index1D, T1, T2, T3, T4> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct =>
        Load<Action<Index1D, T1, T2, T3, T4>, Action<Index1D, T1, T2, T3, T4>>(kernel, (a, k) => _flatGroupSize is int g ? a.LoadImplicitlyGroupedStreamKernel(k, g) : a.LoadAutoGroupedStreamKernel(k));

    /// <inheritdoc cref="Grouped{T1}"/>
    public Action<KernelConfig, T1, T2, T3, T4> Grouped<T1, T2, T3, T4>(Action<T1, T2, T3, T4> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct =>
        Load<Action<T1, T2, T3, T4>, Action<KernelConfig, T1, T2, T3, T4>>(kernel, static (a, k) => a.LoadStreamKernel(k));

    /// <inheritdoc cref="Auto{T1}"/>
    public Action<Index1D, T1, T2, T3, T4, T5> Auto<T1, T2, T3, T4, T5>(Action<Index1D, T1, T2, T3, T4, T5> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct =>
        Load<Action<Index1D, T1, T2, T3, T4, T5>, Action<Index1D, T1, T2, T3, T4, T5>>(kernel, (a, k) => _flatGroupSize is int g ? a.LoadImplicitlyGroupedStreamKernel(k, g) : a.LoadAutoGroupedStreamKernel(k));

    /// <inheritdoc cref="Grouped{T1}"/>
    public Action<KernelConfig, T1, T2, T3, T4, T5> Grouped<T1, T2, T3, T4, T5>(Action<T1, T2, T3, T4, T5> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct =>
        Load<Action<T1, T2, T3, T4, T5>, Action<KernelConfig, T1, T2, T3, T4, T5>>(kernel, static (a, k) => a.LoadStreamKernel(k));

    /// <inheritdoc cref="Auto{T1}"/>
    public Action<Index1D, T1, T2, T3, T4, T5, T6> Auto<T1, T2, T3, T4, T5, T6>(Action<Index1D, T1, T2, T3, T4, T5, T6> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct =>
        Load<Action<Index1D, T1, T2, T3, T4, T5, T6>, Action<Index1D, T1, T2, T3, T4, T5, T6>>(kernel, (a, k) => _flatGroupSize is int g ? a.LoadImplicitlyGroupedStreamKernel(k, g) : a.LoadAutoGroupedStreamKernel(k));

    /// <inheritdoc cref="Grouped{T1}"/>
    public Action<KernelConfig, T1, T2, T3, T4, T5, T6> Grouped<T1, T2, T3, T4, T5, T6>(Action<T1, T2, T3, T4, T5, T6> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct =>
        Load<Action<T1, T2, T3, T4, T5, T6>, Action<KernelConfig, T1, T2, T3, T4, T5, T6>>(kernel, static (a, k) => a.LoadStreamKernel(k));

    /// <inheritdoc cref="Auto{T1}"/>
    public Action<Index1D, T1, T2, T3, T4, T5, T6, T7> Auto<T1, T2, T3, T4, T5, T6, T7>(Action<Index1D, T1, T2, T3, T4, T5, T6, T7> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct =>
        Load<Action<Index1D, T1, T2, T3, T4, T5, T6, T7>, Action<Index1D, T1, T2, T3, T4, T5, T6, T7>>(kernel, (a, k) => _flatGroupSize is int g ? a.LoadImplicitlyGroupedStreamKernel(k, g) : a.LoadAutoGroupedStreamKernel(k));

    /// <inheritdoc cref="Grouped{T1}"/>
    public Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7> Grouped<T1, T2, T3, T4, T5, T6, T7>(Action<T1, T2, T3, T4, T5, T6, T7> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct =>
        Load<Action<T1, T2, T3, T4, T5, T6, T7>, Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7>>(kernel, static (a, k) => a.LoadStreamKernel(k));

    /// <inheritdoc cref="Auto{T1}"/>
    public Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8> Auto<T1, T2, T3, T4, T5, T6, T7, T8>(Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct =>
        Load<Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8>, Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8>>(kernel, (a, k) => _flatGroupSize is int g ? a.LoadImplicitlyGroupedStreamKernel(k, g) : a.LoadAutoGroupedStreamKernel(k));

    /// <inheritdoc cref="Grouped{T1}"/>
    public Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8> Grouped<T1, T2, T3, T4, T5, T6, T7, T8>(Action<T1, T2, T3, T4, T5, T6, T7, T8> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct =>
        Load<Action<T1, T2, T3, T4, T5, T6, T7, T8>, Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8>>(kernel, static (a, k) => a.LoadStreamKernel(k));

    /// <inheritdoc cref="Auto{T1}"/>
    public Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9> Auto<T1, T2, T3, T4, T5, T6, T7, T8, T9>(Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct =>
        Load<Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9>, Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9>>(kernel, (a, k) => _flatGroupSize is int g ? a.LoadImplicitlyGroupedStreamKernel(k, g) : a.LoadAutoGroupedStreamKernel(k));

    /// <inheritdoc cref="Grouped{T1}"/>
    public Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9> Grouped<T1, T2, T3, T4, T5, T6, T7, T8, T9>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct =>
        Load<Action<T1, T2, T3, T4, T5, T6, T7, T8, T9>, Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9>>(kernel, static (a, k) => a.LoadStreamKernel(k));

    /// <inheritdoc cref="Auto{T1}"/>
    public Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> Auto<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>(Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct where T10 : struct =>
        Load<Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>, Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>>(kernel, (a, k) => _flatGroupSize is int g ? a.LoadImplicitlyGroupedStreamKernel(k, g) : a.LoadAutoGroupedStreamKernel(k));

    /// <inheritdoc cref="Grouped{T1}"/>
    public Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> Grouped<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct where T10 : struct =>
        Load<Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>, Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>>(kernel, static (a, k) => a.LoadStreamKernel(k));

    /// <inheritdoc cref="Auto{T1}"/>
    public Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> Auto<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11>(Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct where T10 : struct where T11 : struct =>
        Load<Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11>, Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11>>(kernel, (a, k) => _flatGroupSize is int g ? a.LoadImplicitlyGroupedStreamKernel(k, g) : a.LoadAutoGroupedStreamKernel(k));

    /// <inheritdoc cref="Grouped{T1}"/>
    public Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> Grouped<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct where T10 : struct where T11 : struct =>
        Load<Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11>, Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11>>(kernel, static (a, k) => a.LoadStreamKernel(k));

    /// <inheritdoc cref="Auto{T1}"/>
    public Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> Auto<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12>(Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct where T10 : struct where T11 : struct where T12 : struct =>
        Load<Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12>, Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12>>(kernel, (a, k) => _flatGroupSize is int g ? a.LoadImplicitlyGroupedStreamKernel(k, g) : a.LoadAutoGroupedStreamKernel(k));

    /// <inheritdoc cref="Grouped{T1}"/>
    public Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> Grouped<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct where T10 : struct where T11 : struct where T12 : struct =>
        Load<Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12>, Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12>>(kernel, static (a, k) => a.LoadStreamKernel(k));

    /// <inheritdoc cref="Auto{T1}"/>
    public Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> Auto<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13>(Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct where T10 : struct where T11 : struct where T12 : struct where T13 : struct =>
        Load<Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13>, Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13>>(kernel, (a, k) => _flatGroupSize is int g ? a.LoadImplicitlyGroupedStreamKernel(k, g) : a.LoadAutoGroupedStreamKernel(k));

    /// <inheritdoc cref="Grouped{T1}"/>
    public Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> Grouped<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct where T10 : struct where T11 : struct where T12 : struct where T13 : struct =>
        Load<Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13>, Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13>>(kernel, static (a, k) => a.LoadStreamKernel(k));

    /// <inheritdoc cref="Auto{T1}"/>
    public Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14> Auto<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14>(Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct where T10 : struct where T11 : struct where T12 : struct where T13 : struct where T14 : struct =>
        Load<Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14>, Action<Index1D, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14>>(kernel, (a, k) => _flatGroupSize is int g ? a.LoadImplicitlyGroupedStreamKernel(k, g) : a.LoadAutoGroupedStreamKernel(k));

    /// <inheritdoc cref="Grouped{T1}"/>
    public Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14> Grouped<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct where T10 : struct where T11 : struct where T12 : struct where T13 : struct where T14 : struct =>
        Load<Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14>, Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14>>(kernel, static (a, k) => a.LoadStreamKernel(k));
}
