using GraphCompiler.Compiler.Backends.Cpu;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Emit;

/// <summary>
/// The fused kernel methods of one model class. Kernels whose methods read the same (the optimizer
/// update of each variable, a loss's mean in the inference method and in the train step) share one
/// method, called with different arguments; each method is rendered in the smallest form that serves
/// every kernel calling it, and named after the scope covering its kernels (<see cref="KernelNames.Method"/>).
/// </summary>
internal sealed class KernelCatalog
{
    /// <summary>What a call of one kernel needs: its method and how to pass its arguments.</summary>
    public sealed record Call(string Method, KernelForm Form, IReadOnlyList<Node> Inputs, bool NeedsDims, bool NeedsInner, string? Comment);

    private sealed class Method
    {
        public readonly List<(string Entry, KernelDescription Kernel)> Instances = new();
        public string Name = "";
        public KernelForm Form;
        public string Text = "";
        public bool Emitted;
    }

    private const string Placeholder = "KernelMethod";

    private readonly List<Method> _methods = new();
    private readonly Dictionary<string, Method> _byBody = new(StringComparer.Ordinal);
    private readonly Dictionary<KernelDescription, Call> _calls = new();

    /// <summary>Adds the fused kernels of one entry point (library calls and GEMMs are not methods of the class).</summary>
    public void Add(string entry, IEnumerable<KernelDescription> kernels)
    {
        foreach (var d in kernels.Where(k => k is ElementwiseKernel or RowKernel))
        {
            // The most general form of a kernel stands for all its forms: kernels that read the same in it share a method.
            var body = Render(d, Placeholder, KernelForm.Split, d.Names.Describe, out _, out _, out _);
            var key = body.Substring(body.IndexOf('\n') + 1);
            if (!_byBody.TryGetValue(key, out var method))
            {
                _byBody[key] = method = new Method();
                _methods.Add(method);
            }
            method.Instances.Add((entry, d));
        }
    }

    /// <summary>Names and renders every method; <paramref name="taken"/> holds the class's other member names.</summary>
    public void Finish(ISet<string> taken)
    {
        foreach (var m in _methods)
        {
            var first = m.Instances[0].Kernel;
            var entries = m.Instances.Select(i => i.Entry).Distinct().ToList();
            // Always with an underscore: model code calls the ops unqualified (using static GraphCompiler.Ops),
            // and a class member named like an op (LogSoftmax, Square) would hide it.
            var name = (entries.Count == 1 ? entries[0] : "Shared") + "_" + first.Names.Method;
            m.Name = CSharpNames.Unique(name, taken);
            m.Form = m.Instances.Max(i => FusedKernelEmitter.NaturalForm(i.Kernel));
            bool shared = m.Instances.Count > 1;
            m.Text = Render(first, m.Name, m.Form, first.Names.Describe, out _, out _, out _);
            m.Text = Document(m, shared) + m.Text.Substring(m.Text.IndexOf('\n') + 1);
            foreach (var (_, d) in m.Instances)
            {
                Render(d, m.Name, m.Form, d.Names.Describe, out var inputs, out var needsDims, out var needsInner);
                // A column window's call passes its source's storage.
                _calls[d] = new Call(m.Name, m.Form, inputs.Select(d.StorageOf).ToList(), needsDims, needsInner, shared ? d.Names.Subject : null);
            }
        }
    }

    public Call CallOf(KernelDescription d) => _calls[d];

    /// <summary>The methods first called by <paramref name="entry"/> that are not emitted yet, marked emitted.</summary>
    public IEnumerable<string> TakeNew(string entry)
    {
        foreach (var m in _methods.Where(m => !m.Emitted && m.Instances[0].Entry == entry))
        {
            m.Emitted = true;
            yield return m.Text;
        }
    }

    /// <summary>The doc comment: the emitter's summary, what a shared method serves, and the full names of shortened parameters.</summary>
    private static string Document(Method m, bool shared)
    {
        var first = m.Instances[0].Kernel;
        var summary = Render(first, m.Name, m.Form, first.Names.Describe, out _, out _, out _).Split('\n')[0];
        var notes = new List<string>();
        if (first.Names.Scope.Length > 0) notes.Add($"Names are relative to <c>{(first.Names.Subject is null ? first.Names.Scope : first.Names.Scope.Replace(first.Names.Subject, "{variable}"))}</c>.");
        if (shared)
        {
            var subjects = m.Instances.Select(i => i.Kernel.Names.Subject).Where(s => s is not null).Distinct().ToList();
            notes.Add(subjects.Count > 0
                ? $"One method for the {m.Instances.Count} variables it updates: {string.Join(", ", subjects.Select(s => $"<c>{s}</c>"))}."
                : $"One method for {m.Instances.Count} kernels with the same body ({string.Join(", ", m.Instances.Select(i => i.Entry).Distinct())}).");
        }
        else if (first.Names.ShortenedParameters.Count > 0)
            notes.Add("Parameters by full name: " + string.Join(", ", first.Names.ShortenedParameters.Select(kv => $"<c>{first.Names.Parameters[kv.Key]}</c> = <c>{kv.Value}</c>")) + ".");
        if (notes.Count == 0) return summary + "\n";
        var text = summary.Substring("/// <summary>".Length, summary.Length - "/// <summary>".Length - "</summary>".Length);
        return "/// <summary>\n/// " + text + "\n/// " + string.Join("\n/// ", notes) + "\n/// </summary>\n";
    }

    private static string Render(KernelDescription d, string name, KernelForm form, Func<Node, string> describe, out IReadOnlyList<Node> inputs, out bool needsDims, out bool needsInner)
    {
        needsDims = needsInner = false;
        form = (KernelForm)Math.Max((int)form, (int)FusedKernelEmitter.NaturalForm(d));
        return d switch
        {
            RowKernel row => RowKernelEmitter.Emit(row, name, form, describe, out inputs, out needsDims),
            ElementwiseKernel loop => FusedKernelEmitter.Emit(loop, name, form, describe, out inputs, out needsDims, out needsInner),
            _ => throw new InvalidOperationException($"{d.GetType().Name} is not a kernel method"),
        };
    }
}
