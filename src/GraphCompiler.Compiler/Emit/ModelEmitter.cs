using System.Globalization;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
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
        var freeze = new FreezeVariants(model);
        var variables = freeze.MarkFrozen(model.Variables).ToList();
        var splits = new Dictionary<string, GradientSplitEntry>(StringComparer.Ordinal);
        if (model.Loss is { } loss)
        {
            try
            {
                var train = OptimizerPass.BuildTrainStep(loss, model.Optimizer);
                entries.Add(("TrainStep", true, loss.Parameters, train));
                // Optimizer slots (h1/weights/Adam, ...) join the model's variables after the user's.
                var known = new HashSet<string>(variables.Select(v => v.Name), StringComparer.Ordinal);
                variables.AddRange(train.Nodes.Where(n => n.OpName == "variable" && !known.Contains(n.Attrs.GetString("name"))).Select(n => train.Variables[n.Attrs.GetString("name")]));
                // A variant's slots are a subset of the full step's, so the variable set above holds them.
                entries.AddRange(freeze.Build(loss, model.Optimizer).Select(v => (v.Method, true, loss.Parameters, v.Train)));
                if (GradientSplitPass.Requested(model.Optimizer)) members.AddRange(GradientSet(model, loss, entries, splits));
            }
            catch (CompileException ex)
            {
                diagnostics.Add(ex.ToDiagnostic());
            }
        }
        var fieldOf = FieldNames(variables, entries.Select(e => e.Method));
        string Field(string name) => fieldOf[name];
        // The device path covers the model's own entry points. Models with float hyperparameters or freeze variants
        // are host-only so far (their device constructor throws, saying so); the gradient split's two entries refuse
        // to run on a device while the rest of the model runs there. Dimension hyperparameters bind as symbols do.
        var device = model.Hypers.Any(h => !h.IsDimension) || freeze.HasVariants
            ? new DevicePath { Problem = "float hyperparameters and freeze variants run on the host only so far" }
            : EmitDevicePath(model, entries.Where(e => !splits.ContainsKey(e.Method)).ToList(), cancellationToken);

        // Every entry point is compiled before any is emitted: kernels that read the same share one method across them.
        var compiledEntries = new List<(string Method, bool Train, IReadOnlyList<ModelParameter> Params, CompiledEntry Compiled)>();
        var catalog = new KernelCatalog();
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
                    cancellationToken, training: train);
                var optimized = compiled.Graph;
                catalog.Add(method, LoopKernels.WithBodies(compiled.Descriptions));
                compiledEntries.Add((method, train, parameters, compiled));
                // The build report describes the model's TrainStep; freeze variants are alternatives to it.
                if (freeze.IsVariant(method)) continue;
                before += optimized.Nodes.Count(n => n.Op.Class is not (OpClass.Source or OpClass.Effect));
                after += compiled.Kernels.Count;
                // FLOPs are reported for the train step (or, without a loss, the first method).
                if ((train && !splits.ContainsKey(method)) || (model.Loss is null && method == model.Entries[0].MethodName)) FlopEstimate.Add(flops, optimized);
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
        try
        {
            catalog.Finish(new HashSet<string>(TakenNames(model, entries.Select(e => e.Method), fieldOf.Values), StringComparer.Ordinal));
        }
        catch (Exception ex) when (ex is ShapeException or NotSupportedException or InvalidOperationException)
        {
            diagnostics.Add(new CompilerDiagnostic("GC0900", Severity.Error, $"internal compiler error in the kernels of '{model.ClassName}': {ex.Message}", null));
            compiledEntries.Clear();
        }
        foreach (var (method, train, parameters, compiled) in compiledEntries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var emitter = new EntryEmitter(method, train, parameters, compiled, Field, catalog, model.Optimizer, HyperDims(model.Hypers), splits.TryGetValue(method, out var split) ? split : null)
                {
                    DeviceMethod = device.Problem is null && split is null ? method + "OnDevice" : null,
                    HostOnly = device.Problem is null && split is not null ? "the gradient set is kept in host memory" : null,
                };
                members.AddRange(freeze.Adjust(method, parameters, compiled.Graph, emitter.Emit()));
                cancellationToken.ThrowIfCancellationRequested();
                if (!freeze.IsVariant(method)) foreach (var b in emitter.ArenaBuffers) arena.Add(b.Shape, b.DType.SizeInBytes());
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
        // The gradient set's report says where ComputeGradients completes each bucket, known once it is emitted.
        if (splits.TryGetValue(GradientSplitPass.ComputeGradients, out var computeGradients)) diagnostics.Add(computeGradients.Report(model.ClassName));

        members.AddRange(freeze.Members());
        long parameters0 = model.Variables.Where(v => v.Trainable && v.Shape.IsStatic).Sum(v => v.Shape.StaticElementCount);
        var stats = new ModelStats(parameters0, before, after, arena.ToString(), flops.ToString());
        // A train step that failed to build (GC04xx) has no IR constant to point the graph view at.
        bool trained = entries.Any(e => e.Train);
        if (device.Problem is null) members.AddRange(device.Members);
        var source = WriteClass(model, variables, members, irConstants, stats, Field, trained, device);
        return new EmitResult(source, diagnostics, stats);
    }

    /// <summary>The names of the dimension hyperparameters, which are also their symbols in shapes.</summary>
    internal static IReadOnlyList<string> HyperDims(IReadOnlyList<HyperParameter> hypers) => hypers.Where(h => h.IsDimension).Select(h => h.Name).ToList();

    /// <summary>The device constructor's parameters: one per hyperparameter, the seed, the device.</summary>
    internal static string DeviceConstructorParameters(IReadOnlyList<HyperParameter> hypers) =>
        string.Join(", ", hypers.Where(h => h.IsArgument).Select(h => $"{h.CSharpType} {h.Argument}").Append("ulong seed").Append("GraphCompiler.Runtime.Devices.Device device"));

    /// <summary>The generated constructor's parameters: one per hyperparameter, then the seed.</summary>
    internal static string ConstructorParameters(IReadOnlyList<HyperParameter> hypers) =>
        string.Join(", ", hypers.Where(h => h.IsArgument).Select(h => $"{h.CSharpType} {h.Argument}").Append("ulong seed = 0"));

    /// <summary>
    /// The hyperparameters' record for checkpoints (<c>IModel.Hyperparameters</c>), and nothing for a model
    /// without any; the properties themselves are the user's.
    /// </summary>
    internal static IEnumerable<string> HyperMembers(IReadOnlyList<HyperParameter> hypers)
    {
        if (hypers.Count == 0) yield break;
        foreach (var d in DerivedDimMembers(hypers)) yield return d;
        var entries = hypers.Where(h => h.IsArgument).Select(h => $"[{CSharpNames.StringLiteral(h.Name)}] = {h.Name}.ToString({(h.IsDimension ? "" : "\"R\", ")}System.Globalization.CultureInfo.InvariantCulture)");
        yield return "/// <summary>The hyperparameters the model was constructed with, by property name.</summary>\n" +
            $"System.Collections.Generic.IReadOnlyDictionary<string, string> GraphCompiler.Runtime.IModel.Hyperparameters => new System.Collections.Generic.Dictionary<string, string> {{ {string.Join(", ", entries)} }};";
    }

    /// <summary>An op seed as the runtime's ulong, negative seeds by their two's-complement bits (as a cast from the int does).</summary>
    private static string OpSeedLiteral(int opSeed) => unchecked((ulong)(long)opSeed).ToString(System.Globalization.CultureInfo.InvariantCulture) + "UL";

    /// <summary>A private property per derived dimension (<c>Dim + 1</c>), which generated sizes read as they read a hyperparameter.</summary>
    internal static IEnumerable<string> DerivedDimMembers(IReadOnlyList<HyperParameter> hypers) =>
        hypers.Where(h => !h.IsArgument).Select(d => $"/// <summary>The derived dimension {d.Expression}, bound as a symbol of its own.</summary>\nprivate int {d.Name} => checked{d.Expression};");

    /// <summary>Checks each constructor argument (a dimension is positive, a value finite) and sets its property.</summary>
    private static IEnumerable<string> HyperAssignments(IReadOnlyList<HyperParameter> hypers)
    {
        foreach (var h in hypers)
        {
            if (!h.IsArgument)
            {
                // Derived dimensions come after every [Hyper] property, so their operands are set.
                yield return $"if ({h.Name} < 1) throw new ArgumentException($\"the hyperparameters do not fit the model: the derived dimension {h.Expression} is {{{h.Name}}}, but a dimension must be positive\");";
                continue;
            }
            var (test, rule) = h.IsDimension ? ($"{h.Argument} < 1", "is a dimension and must be positive") : ($"!float.IsFinite({h.Argument})", "must be a finite number");
            yield return $"if ({test}) throw new ArgumentOutOfRangeException(nameof({h.Argument}), {h.Argument}, \"the hyperparameter {h.Name} {rule}\");";
            yield return $"{h.Name} = {h.Argument};";
        }
    }

    /// <summary>
    /// The relations the graph needs between hyperparameters and sizes (<c>Dim == 128</c> for a product's
    /// inner dims), checked before any variable is made; the error names the op and both sides.
    /// </summary>
    private static IEnumerable<string> ConstraintChecks(IReadOnlyList<DimConstraints.Relation> constraints)
    {
        foreach (var r in constraints)
        {
            var values = string.Join(" and ", new[] { r.Left, r.Right }.Where(d => !d.IsStatic).Select(d => $"{d} is {{{d}}}"));
            var message = $"$\"the hyperparameters do not fit the model: the {r.Where.Replace("{", "{{").Replace("}", "}}").Replace("\"", "\\\"")} need {r.Left} == {r.Right}, but {values}\"";
            yield return $"if ({r.Left} != {r.Right}) throw new ArgumentException({message});";
        }
    }

    /// <summary>
    /// The train step split at the gradient (<see cref="GradientSplitPass"/>): adds <c>ComputeGradients</c>
    /// and <c>ApplyGradients</c> to the entries and returns the gradient set's class and overloads.
    /// </summary>
    private static IEnumerable<string> GradientSet(ModelDefinition model, EntryPoint loss, List<(string Method, bool Train, IReadOnlyList<ModelParameter> Params, Graph Lowered)> entries, Dictionary<string, GradientSplitEntry> splits)
    {
        var compute = GradientSplitPass.BuildComputeGradients(loss, model.Optimizer);
        var apply = GradientSplitPass.BuildApplyGradients(compute, model.Optimizer);
        var layout = GradientSetEmitter.Layout(GradientSplitPass.GradientVariables(compute));
        var buckets = GradientSetEmitter.Buckets(layout);
        entries.Add((GradientSplitPass.ComputeGradients, true, loss.Parameters, compute));
        entries.Add((GradientSplitPass.ApplyGradients, true, Array.Empty<ModelParameter>(), apply));
        splits[GradientSplitPass.ComputeGradients] = GradientSetEmitter.Compute(model.ClassName, loss.Parameters, compute, layout, buckets, HyperDims(model.Hypers));
        splits[GradientSplitPass.ApplyGradients] = GradientSetEmitter.Apply(model.ClassName, layout);
        return new[]
        {
            GradientSetEmitter.EmitClass(model.ClassName, layout, buckets),
            GradientSetEmitter.ComputeOverload(model.ClassName, loss.Parameters, compute, layout, HyperDims(model.Hypers)),
        };
    }

    /// <summary>
    /// The field of each variable, after its name (<c>h1/weights</c> → <c>_h1Weights</c>, its Adam slot
    /// <c>_h1WeightsAdam</c>), unique and apart from the entry points' state fields (<c>_trainStep</c>).
    /// </summary>
    private static Dictionary<string, string> FieldNames(IReadOnlyList<VariableInfo> variables, IEnumerable<string> methods)
    {
        var used = new HashSet<string>(methods.Select(m => "_" + char.ToLowerInvariant(m[0]) + m.Substring(1)), StringComparer.Ordinal);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in variables)
        {
            fields[v.Name] = CSharpNames.Unique("_" + KernelNames.Identifier(v.Name, out _), used);
        }
        return fields;
    }

    /// <summary>The names of the class's members other than kernel methods, which kernel methods must not take.</summary>
    private static IEnumerable<string> TakenNames(ModelDefinition model, IEnumerable<string> methods, IEnumerable<string> fields) =>
        new[] { model.ClassName, "Variables", "GlobalStep", "Seed", "SummarySink", "SummaryEvery", "InitializeVariables", "Ir", model.ClassName + "Variables",
            "Equals", "GetHashCode", "GetType", "ToString", "MemberwiseClone", "Finalize" }
            .Concat(methods.SelectMany(m => new[] { m, m + "State", "_" + char.ToLowerInvariant(m[0]) + m.Substring(1) }))
            .Concat(fields);

        /// <summary>
    /// The device path of every entry point, compiled for the ILGPU back end (no GEMM epilogues: they fuse
    /// into the next kernel). A kernel or op the device cannot run yet leaves the model without a device
    /// path: its device constructor then throws, naming it, and the CPU path is unchanged.
    /// </summary>
    private static DevicePath EmitDevicePath(ModelDefinition model, List<(string Method, bool Train, IReadOnlyList<ModelParameter> Params, Graph Lowered)> entries, CancellationToken cancellationToken)
    {
        var path = new DevicePath();
        var sharedKernels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (method, train, parameters, lowered) in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var compiled = PassPipeline.Compile(lowered, Backends.Ilgpu.IlgpuCapabilities.Instance, cancellationToken: cancellationToken, training: train);
                var emitter = new DeviceEntryEmitter(method, train, parameters, compiled, model.Optimizer, sharedKernels, HyperDims(model.Hypers));
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
        body.AddRange(HyperMembers(model.Hypers));
        var ctor = new List<string>
        {
            "/// <summary>Creates the model and initialises every variable from <paramref name=\"seed\"/> (the graph-level seed).</summary>",
            $"public {model.ClassName}({ConstructorParameters(model.Hypers)})",
            "{",
        };
        ctor.AddRange(HyperAssignments(model.Hypers).Concat(ConstraintChecks(model.Constraints)).Select(l => "    " + l));
        ctor.AddRange(new[]
        {
            "    Seed = seed;",
            $"    Variables = new {setClass}({string.Join(", ", HyperDims(model.Hypers))});",
        });
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
            $"public {model.ClassName}({DeviceConstructorParameters(model.Hypers)}) : this({string.Join(", ", model.Hypers.Where(h => h.IsArgument).Select(h => h.Argument).Append("seed"))})",
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
        replica.AddRange(model.Hypers.Where(h => h.IsArgument).Select(h => $"    {h.Name} = shareVariablesWith.{h.Name};"));
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
            var shape = CpuKernelContext.Ints(v.Shape.Select(d => d.IsStatic ? d.Size.ToString(CultureInfo.InvariantCulture) : d.Symbol!));
            var values = v.Init.Values.Length == 0 ? "ReadOnlySpan<double>.Empty" : "new double[] { " + string.Join(", ", v.Init.Values.Select(x => CSharpNames.Literal(x, DType.Float64))) + " }";
            init.Add($"    GraphCompiler.Runtime.Execution.VariableInit.Apply({field(v.Name)}.Data.AsSpan(), {shape}, \"{v.Init.Kind}\", {values}, {v.Init.AExpression ?? CSharpNames.Literal(v.Init.A, DType.Float64)}, {v.Init.BExpression ?? CSharpNames.Literal(v.Init.B, DType.Float64)}, Seed, {OpSeedLiteral(v.Init.OpSeed)});");
        }
        init.Add("}");
        body.Add(string.Join("\n", init));
        body.AddRange(members);
        body.Add($"/// <summary>The IR of each entry point, in GraphCompiler's text form.</summary>\npublic static class Ir\n{{\n{string.Join("\n\n", irConstants)}\n}}");
        body.Add(VariableSetEmitter.Emit(setClass, variables, HyperDims(model.Hypers)));
        var adapter = trained ? FitAdapter(model) : null;
        if (adapter is { } fit) body.AddRange(fit.Members);
        var header = $"// GraphCompiler model {model.ClassName}: {stats.Parameters} parameters, {stats.KernelsAfterFusion} kernels ({stats.KernelsBeforeFusion} ops before fusion), arena ≤ {stats.ArenaBytes} bytes, about {stats.FlopsPerStep} FLOPs per step.";
        return ModelShell.File(model.Namespace, model.ClassName, header, body, adapter?.Interfaces);
    }

    private static (IReadOnlyList<string> Interfaces, IReadOnlyList<string> Members)? FitAdapter(ModelDefinition model)
    {
        var signatures = model.Entries.Select(e => EntrySignature.Of(e.MethodName, false, e.Parameters, e.Graph, HyperDims(model.Hypers))).ToList();
        var loss = signatures.FirstOrDefault(s => s.Method == model.Loss?.MethodName);
        return FitAdapterEmitter.Emit(loss, signatures, Passes.Optimizers.OptimizerSpec.Parse(model.Optimizer).Kind);
    }
}
