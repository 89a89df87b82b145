using GraphCompiler.Compiler.Passes;
using GraphCompiler.Compiler.Passes.Optimizers;
using Microsoft.CodeAnalysis;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// Reads the optimizer and learning-rate settings of <c>[Model(...)]</c> into the compiler's
/// <see cref="OptimizerSpec"/> text. Only the settings the chosen optimizer and schedule use are
/// kept, so that the model text (and the incremental cache) changes only when they matter.
/// </summary>
internal static class OptimizerSettings
{
    public static string Read(AttributeData attribute)
    {
        // A setting named twice is the C# compiler's error (CS0643); the last one is read so lowering goes on.
        var args = new Dictionary<string, TypedConstant>();
        foreach (var a in attribute.NamedArguments) args[a.Key] = a.Value;
        int Int(string name, int fallback) => args.TryGetValue(name, out var v) && v.Value is int i ? i : fallback;
        double Float(string name, double fallback) => args.TryGetValue(name, out var v) && v.Value is float f ? f : fallback;
        bool Bool(string name) => args.TryGetValue(name, out var v) && v.Value is true;
        IEnumerable<double> List(string name) =>
            args.TryGetValue(name, out var v) && v.Kind == TypedConstantKind.Array && !v.IsNull
                ? v.Values.Select(x => x.Value switch { int i => (double)i, float f => f, _ => 0.0 })
                : Enumerable.Empty<double>();

        IEnumerable<string> Strings(string name) =>
            args.TryGetValue(name, out var v) && v.Kind == TypedConstantKind.Array && !v.IsNull
                // A string with a character no variable name has matches nothing, so dropping it changes nothing
                // (and keeps the settings text parseable).
                ? v.Values.Select(x => x.Value as string).Where(x => !string.IsNullOrEmpty(x) && x!.All(c => char.IsLetterOrDigit(c) || c is '_' or '.' or '-' or '/')).Select(x => x!)
                : Enumerable.Empty<string>();

        int kind = Int("Optimizer", 0);
        // An Optimizer value outside the enum (a cast such as (Optimizer)7) keeps its number, so that
        // the train step reports it (GC0404) instead of silently training with gradient descent.
        var spec = new OptimizerSpec(kind >= 0 && kind < OptimizerSpec.Kinds.Length ? OptimizerSpec.Kinds[kind] : "optimizer_" + kind.ToString(System.Globalization.CultureInfo.InvariantCulture));
        switch (spec.Kind)
        {
            case "momentum":
                spec = spec.With("momentum", Float("Momentum", 0.9)).With("nesterov", Bool("UseNesterov"));
                break;
            case "adam":
            case "adamw":
                spec = spec.With("beta1", Float("Beta1", 0.9)).With("beta2", Float("Beta2", 0.999)).With("epsilon", Float("Epsilon", 0) is var e && e > 0 ? e : 1e-8);
                if (spec.Kind == "adamw") spec = spec.With("weight_decay", Float("WeightDecay", 0.01));
                if (spec.Kind == "adamw" && Strings("WeightDecayExclude").ToList() is { Count: > 0 } excluded) spec = spec.With(OptimizerSpec.WeightDecayExclude, string.Join("|", excluded));
                break;
            case "adagrad":
                spec = spec.With("initial_accumulator_value", Float("InitialAccumulatorValue", 0.1));
                break;
            case "rmsprop":
                spec = spec.With("rho", Float("Rho", 0.9)).With("epsilon", Float("Epsilon", 0) is var r && r > 0 ? r : 1e-10);
                break;
        }
        if (Float("ClipGlobalNorm", 0) > 0) spec = spec.With("clip_global_norm", Float("ClipGlobalNorm", 0));
        int schedule = Int("Schedule", 0);
        if (schedule > 0 && schedule < OptimizerSpec.Schedules.Length)
        {
            spec = spec.With("schedule", OptimizerSpec.Schedules[schedule]);
            switch (OptimizerSpec.Schedules[schedule])
            {
                case "exponential_decay":
                    spec = spec.With("decay_steps", Int("DecaySteps", 1000)).With("decay_rate", Float("DecayRate", 0.96)).With("staircase", Bool("Staircase"));
                    break;
                case "piecewise_constant":
                    spec = spec.With("boundaries", List("Boundaries").ToList()).With("values", List("Values").ToList());
                    break;
                case "cosine_decay":
                    spec = spec.With("decay_steps", Int("DecaySteps", 1000)).With("alpha", Float("Alpha", 0));
                    break;
                case "linear_decay":
                    spec = spec.With("decay_steps", Int("DecaySteps", 1000));
                    break;
            }
        }
        if (Int("WarmupSteps", 0) > 0) spec = spec.With("warmup_steps", Int("WarmupSteps", 0));
        if (Bool("GradientSet")) spec = spec.With(GradientSplitPass.Option, true);
        return spec.ToString();
    }
}
