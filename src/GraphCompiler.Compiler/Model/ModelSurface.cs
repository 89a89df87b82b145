using System.Text;
using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Model;

/// <summary>
/// The public surface of a model class as far as it is known: its variables and the signatures of
/// its entry methods and train step. A model with build errors emits this surface with bodies that
/// throw, as the in-box generators do, so that only the real error shows and the code using the
/// model keeps compiling. Plain data with a text form, so it can sit in the incremental pipeline.
/// </summary>
public sealed class ModelSurface(string? ns, string className, string accessibility, IReadOnlyList<VariableInfo> variables, IReadOnlyList<EntrySignature> entries, IReadOnlyList<HyperParameter>? hypers = null, IReadOnlyList<string>? freezable = null, bool gradientSet = false)
{
    /// <summary>Whether the model asks for the train step split at the gradient: the surface keeps the gradient set and its two methods.</summary>
    public bool GradientSet { get; } = gradientSet;

    /// <summary>The scopes <c>[Model(Freezable = ...)]</c> names: the surface keeps <c>Freeze</c>/<c>Unfreeze</c> for them.</summary>
    public IReadOnlyList<string> Freezable { get; } = freezable ?? Array.Empty<string>();

    /// <summary>The constructor's hyperparameters, in declaration order.</summary>
    public IReadOnlyList<HyperParameter> Hypers { get; } = hypers ?? Array.Empty<HyperParameter>();

    public string? Namespace { get; } = ns;

    public string ClassName { get; } = className;

    public string Accessibility { get; } = accessibility;

    public IReadOnlyList<VariableInfo> Variables { get; } = variables;

    /// <summary>The generated methods, <c>TrainStep</c> last when the model has a loss.</summary>
    public IReadOnlyList<EntrySignature> Entries { get; } = entries;

    /// <summary>The surface of a lowered model whose compiler stages failed: its signatures are exact.</summary>
    public static ModelSurface From(ModelDefinition model)
    {
        var dims = model.Hypers.Where(h => h.IsDimension).Select(h => h.Name).ToList();
        var entries = model.Entries.Select(e => EntrySignature.Of(e.MethodName, false, e.Parameters, e.Graph, dims)).ToList();
        if (model.Loss is { } loss) entries.Add(TrainStep(loss.Parameters, loss.Graph.Symbols, entries.First(e => e.Method == loss.MethodName).Outputs.FirstOrDefault().DType, dims));
        return new ModelSurface(model.Namespace, model.ClassName, model.Accessibility, model.Variables, entries, model.Hypers,
            Passes.FreezeSets.Freezable(Passes.Optimizers.OptimizerSpec.Parse(model.Optimizer)), Passes.GradientSplitPass.Requested(model.Optimizer));
    }

    /// <summary>The train step of a loss with these placeholders: it returns the (scalar) loss.</summary>
    public static EntrySignature TrainStep(IReadOnlyList<ModelParameter> parameters, IEnumerable<string> symbols, DType loss, IEnumerable<string>? hyperDims = null) =>
        new("TrainStep", true, parameters, DimBinding.Explicit(parameters, symbols, hyperDims), new[] { new OutputType(loss, true) });

    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append("surface ").Append(Namespace ?? "-").Append(' ').Append(ClassName).Append(' ').Append(Accessibility).Append('\n');
        foreach (var h in Hypers) sb.Append(h.ToText()).Append('\n');
        if (Freezable.Count > 0) sb.Append("freezable ").Append(Passes.FreezeSets.Join(Freezable)).Append('\n');
        if (GradientSet) sb.Append("gradient_set\n");
        foreach (var v in Variables)
            sb.Append("var ").Append(new ModelParameter(v.Name, v.DType, v.Shape).ToText()).Append(v.Trainable ? " trainable" : " frozen").Append('\n');
        foreach (var e in Entries)
        {
            sb.Append("entry ").Append(e.Method).Append(e.IsTrain ? " train " : " inference ");
            sb.Append(e.Outputs.Count == 0 ? "-" : string.Join(",", e.Outputs.Select(o => o.DType.ShortName() + (o.Scalar ? "" : "[]")))).Append(' ');
            sb.Append(e.ExplicitDims.Count == 0 ? "-" : string.Join(",", e.ExplicitDims));
            foreach (var p in e.Parameters) sb.Append(' ').Append(p.ToText());
            sb.Append('\n');
        }
        return sb.ToString();
    }

    public static ModelSurface Parse(string text)
    {
        var lines = text.Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries);
        var head = lines[0].Split(' ');
        if (head.Length != 4 || head[0] != "surface") throw new FormatException("surface text must start with 'surface <ns> <class> <access>'");
        var variables = new List<VariableInfo>();
        var entries = new List<EntrySignature>();
        var hypers = new List<HyperParameter>();
        var freezable = new List<string>();
        bool gradientSet = false;
        foreach (var line in lines.Skip(1))
        {
            if (HyperParameter.Parse(line) is { } hyper)
            {
                hypers.Add(hyper);
                continue;
            }
            var parts = line.Split(' ');
            if (line == "gradient_set")
            {
                gradientSet = true;
                continue;
            }
            if (parts[0] == "freezable")
            {
                freezable.AddRange(line.Substring("freezable ".Length).Split('|'));
                continue;
            }
            if (parts[0] == "var")
            {
                var v = ModelParameter.Parse(parts[1]);
                variables.Add(new VariableInfo(v.Name, v.DType, v.Shape, InitSpec.Zeros, parts[2] == "trainable"));
                continue;
            }
            var outputs = parts[3] == "-" ? new List<OutputType>() : parts[3].Split(',').Select(o => new OutputType(DTypes.Parse(o.Replace("[]", "")), !o.EndsWith("[]", StringComparison.Ordinal))).ToList();
            var dims = parts[4] == "-" ? new List<string>() : parts[4].Split(',').ToList();
            entries.Add(new EntrySignature(parts[1], parts[2] == "train", parts.Skip(5).Select(ModelParameter.Parse).ToList(), dims, outputs));
        }
        return new ModelSurface(head[1] == "-" ? null : head[1], head[2], head[3], variables, entries, hypers, freezable, gradientSet);
    }
}
