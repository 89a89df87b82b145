using System.Globalization;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Model;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Passes;

namespace GraphCompiler.Compiler.Emit;

/// <summary>
/// Turns a lowered model into the C# of its generated partial class: the typed variable set, a
/// seeded constructor, one method per model method, <c>TrainStep</c> for the loss, and the IR of
/// every entry point (for the reference interpreter and the TensorBoard graph).
/// </summary>
public static class ModelEmitter
{
    /// <summary>
    /// Runs the compiler passes over every entry point and emits the model's source. The token is
    /// checked between stages and passes, so that an IDE waiting on a large model is not held up by it.
    /// <paramref name="dump"/>, when given, receives (title, text) for every entry point: its IR entering
    /// the pass pipeline (after autodiff and the optimizer update for <c>TrainStep</c>), after each named
    /// pass, and the kernel plan after kernel lowering and after the memory plan.
    /// </summary>
    public static EmitResult Emit(ModelDefinition model, CancellationToken cancellationToken = default, Action<string, string>? dump = null)
    {
        var diagnostics = new List<CompilerDiagnostic>();
        var members = new List<string>();
        var irConstants = new List<string>();
        int before = 0, after = 0;
        var arena = new DimPolynomial();
        var flops = new DimPolynomial();
        var entries = new List<(string Method, bool Train, IReadOnlyList<ModelParameter> Params, Graph Lowered)>();
        foreach (var e in model.Entries) entries.Add((e.MethodName, false, e.Parameters, SummaryOutputs.Strip(e.Graph)));
        var variables = model.Variables.ToList();
        if (model.Loss is { } loss)
        {
            try
            {
                var train = OptimizerPass.BuildTrainStep(loss, model.Optimizer);
                entries.Add(("TrainStep", true, loss.Parameters, train));
                // Optimizer slots (h1/weights/Adam, ...) join the model's variables after the user's.
                var known = new HashSet<string>(variables.Select(v => v.Name), StringComparer.Ordinal);
                variables.AddRange(train.Nodes.Where(n => n.OpName == "variable" && !known.Contains(n.Attrs.GetString("name"))).Select(n => train.Variables[n.Attrs.GetString("name")]));
            }
            catch (CompileException ex)
            {
                diagnostics.Add(ex.ToDiagnostic());
            }
        }
        var fieldOf = variables.Select((v, i) => (v.Name, i)).ToDictionary(p => p.Name, p => $"_var{p.i}");
        string Field(string name) => fieldOf[name];
        var device = EmitDevicePath(model, entries, cancellationToken);

        foreach (var (method, train, parameters, lowered) in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            irConstants.Add($"    /// <summary>The IR of <c>{method}</c> as lowered, before optimisation.</summary>\n    public const string {method} = {ModelShell.Indent(CSharpNames.RawStringLiteral(GraphText.Write(lowered)))};");
            try
            {
                dump?.Invoke($"{method}: IR entering the pass pipeline", GraphText.Write(lowered));
                var compiled = PassPipeline.Compile(lowered, Backends.Cpu.CpuCapabilities.Instance,
                    dump is null ? null : (pass, g) => dump($"{method}: IR after {pass}", GraphText.Write(g)),
                    dump is null ? null : (pass, plan) => dump($"{method}: kernel plan after {pass}", plan),
                    cancellationToken);
                var optimized = compiled.Graph;
                before += optimized.Nodes.Count(n => n.Op.Class is not (OpClass.Source or OpClass.Effect));
                after += compiled.Kernels.Count;
                var emitter = new EntryEmitter(method, train, parameters, compiled, Field, model.Optimizer) { DeviceMethod = device.Problem is null ? method + "OnDevice" : null };
                members.AddRange(emitter.Emit());
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var b in emitter.ArenaBuffers) arena.Add(b.Shape, b.DType.SizeInBytes());
                // FLOPs are reported for the train step (or, without a loss, the first method).
                if (train || (model.Loss is null && method == model.Entries[0].MethodName)) FlopEstimate.Add(flops, optimized);
            }
            catch (CompileException ex)
            {
                diagnostics.Add(ex.ToDiagnostic());
            }
            catch (Exception ex) when (ex is ShapeException or NotSupportedException or InvalidOperationException)
            {
                diagnostics.Add(new CompilerDiagnostic("GC0900", Severity.Error, $"internal compiler error in '{method}': {ex.Message}", null));
            }
        }

        long parameters0 = model.Variables.Where(v => v.Trainable && v.Shape.IsStatic).Sum(v => v.Shape.StaticElementCount);
        var stats = new ModelStats(parameters0, before, after, arena.ToString(), flops.ToString());
        // A train step that failed to build (GC04xx) has no IR constant to point the graph view at.
        bool trained = entries.Any(e => e.Train);
        if (device.Problem is null) members.AddRange(device.Members);
        var source = WriteClass(model, variables, members, irConstants, stats, Field, trained, device);
        return new EmitResult(source, diagnostics, stats);
    }

    /// <summary>
    /// The device path of every entry point, compiled for the ILGPU back end (no GEMM epilogues: they fuse
    /// into the next kernel). A kernel or op the device cannot run yet leaves the model without a device
    /// path: its device constructor then throws, naming it, and the CPU path is unchanged.
    /// </summary>
    private static DevicePath EmitDevicePath(ModelDefinition model, List<(string Method, bool Train, IReadOnlyList<ModelParameter> Params, Graph Lowered)> entries, CancellationToken cancellationToken)
    {
        var path = new DevicePath();
        foreach (var (method, train, parameters, lowered) in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var compiled = PassPipeline.Compile(lowered, Backends.Ilgpu.IlgpuCapabilities.Instance, cancellationToken: cancellationToken);
                var emitter = new DeviceEntryEmitter(method, train, parameters, compiled, model.Optimizer);
                path.Members.AddRange(emitter.Emit());
                path.Constants.AddRange(emitter.Constants);
            }
            catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or ShapeException or CompileException or KeyNotFoundException)
            {
                path.Problem ??= $"{method}: {ex.Message}";
            }
        }
        return path;
    }

    /// <summary>The generated device path: members, constants to upload, or why there is none.</summary>
    private sealed class DevicePath
    {
        public List<string> Members { get; } = new();

        public List<(string Region, string Field)> Constants { get; } = new();

        public string? Problem { get; set; }
    }

    private static string WriteClass(ModelDefinition model, IReadOnlyList<VariableInfo> variables, List<string> members, List<string> irConstants, ModelStats stats, Func<string, string> field, bool trained, DevicePath device)
    {
        var setClass = model.ClassName + "Variables";
        var body = new List<string>();
        body.AddRange(variables.Select(v => $"private readonly Variable<{v.DType.CSharpName()}> {field(v.Name)};"));
        body.AddRange(ModelShell.StateMembers(setClass));
        var graphIr = trained ? "Ir.TrainStep" : model.Entries.Count > 0 ? "Ir." + model.Entries[0].MethodName : "null";
        body.Add($"string? GraphCompiler.Runtime.IModel.GraphIr => {graphIr};");
        var ctor = new List<string>
        {
            "/// <summary>Creates the model and initialises every variable from <paramref name=\"seed\"/> (the graph-level seed).</summary>",
            $"public {model.ClassName}(ulong seed = 0)",
            "{",
            "    Seed = seed;",
            $"    Variables = new {setClass}();",
        };
        ctor.AddRange(variables.Select(v => $"    {field(v.Name)} = (Variable<{v.DType.CSharpName()}>)Variables[{CSharpNames.StringLiteral(v.Name)}];"));
        ctor.Add("    InitializeVariables();");
        ctor.Add("}");
        body.Add(string.Join("\n", ctor));
        var onDevice = new List<string>
        {
            "/// <summary>",
            "/// Creates the model on <paramref name=\"device\"/>: <c>Device.Cpu</c> runs the generated host code; a CUDA GPU or",
            "/// ILGPU's CPU accelerator keeps the variables, optimizer slots and the arena on the device, runs the generated",
            "/// ILGPU kernels there, and copies only feeds in and fetched values out. Call <c>DeviceProgram.CopyVariablesToHost()</c>",
            "/// before reading <see cref=\"Variables\"/> (the <c>Saver</c> does it itself), and dispose <c>DeviceProgram</c> when done.",
            "/// </summary>",
            "/// <exception cref=\"GraphCompiler.Runtime.Devices.DeviceUnavailableException\">No CUDA driver or GPU.</exception>",
            $"public {model.ClassName}(ulong seed, GraphCompiler.Runtime.Devices.Device device) : this(seed)",
            "{",
            "    ArgumentNullException.ThrowIfNull(device);",
            "    if (!device.UsesIlgpu) return;",
        };
        if (device.Problem is { } problem)
            onDevice.Add($"    throw new NotSupportedException({CSharpNames.StringLiteral($"model {model.ClassName} has no device path yet ({problem})")});");
        else
        {
            onDevice.Add("    _deviceProgram = new GraphCompiler.Runtime.Devices.DeviceProgram(device, Variables);");
            onDevice.AddRange(device.Constants.Select(c => $"    _deviceProgram.Constant({CSharpNames.StringLiteral(c.Region)}, {c.Field});"));
        }
        onDevice.Add("}");
        body.Add(string.Join("\n", onDevice));
        var replica = new List<string>
        {
            "/// <summary>",
            "/// A replica that shares <paramref name=\"shareVariablesWith\"/>'s variables (the same storage) but has its",
            "/// own scratch memory, so that several threads can train one set of variables at once, Hogwild-style,",
            "/// each through its own replica. The replica starts at the other's global step.",
            "/// </summary>",
            $"public {model.ClassName}({model.ClassName} shareVariablesWith)",
            "{",
            "    Seed = shareVariablesWith.Seed;",
            "    Variables = shareVariablesWith.Variables;",
            "    GlobalStep = shareVariablesWith.GlobalStep;",
        };
        replica.AddRange(variables.Select(v => $"    {field(v.Name)} = shareVariablesWith.{field(v.Name)};"));
        replica.Add("}");
        body.Add(string.Join("\n", replica));
        var init = new List<string>
        {
            "/// <summary>Sets every variable to its initial value again (<c>tf.global_variables_initializer</c>).</summary>",
            "public void InitializeVariables()",
            "{",
        };
        foreach (var v in variables)
        {
            var shape = CpuKernelContext.Ints(v.Shape.Select(d => d.Size.ToString(CultureInfo.InvariantCulture)));
            var values = v.Init.Values.Length == 0 ? "ReadOnlySpan<double>.Empty" : "new double[] { " + string.Join(", ", v.Init.Values.Select(x => CSharpNames.Literal(x, DType.Float64))) + " }";
            init.Add($"    GraphCompiler.Runtime.Execution.VariableInit.Apply({field(v.Name)}.Data.AsSpan(), {shape}, \"{v.Init.Kind}\", {values}, {CSharpNames.Literal(v.Init.A, DType.Float64)}, {CSharpNames.Literal(v.Init.B, DType.Float64)}, Seed, {v.Init.OpSeed}UL);");
        }
        init.Add("}");
        body.Add(string.Join("\n", init));
        body.AddRange(members);
        body.Add($"/// <summary>The IR of each entry point, in GraphCompiler's text form.</summary>\npublic static class Ir\n{{\n{string.Join("\n\n", irConstants)}\n}}");
        body.Add(VariableSetEmitter.Emit(setClass, variables));
        var header = $"// GraphCompiler model {model.ClassName}: {stats.Parameters} parameters, {stats.KernelsAfterFusion} kernels ({stats.KernelsBeforeFusion} ops before fusion), arena ≤ {stats.ArenaBytes} bytes, about {stats.FlopsPerStep} FLOPs per step.";
        return ModelShell.File(model.Namespace, model.ClassName, header, body);
    }
}
