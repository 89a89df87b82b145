using GraphCompiler.Compiler.Model;
using GraphCompiler.Compiler.Passes;

namespace GraphCompiler.Compiler.Emit;

internal static partial class GradientSetEmitter
{
    /// <summary>
    /// The gradient set on the surface of a model with build errors (<see cref="SurfaceEmitter"/>): the
    /// <c>&lt;Model&gt;Gradients</c> class over the trainable variables known so far, and <c>ComputeGradients</c>
    /// (both overloads) and <c>ApplyGradients</c> with the train step's inputs, each body <paramref name="fail"/>;
    /// nothing when the model has no train step or does not ask for the set.
    /// </summary>
    public static IEnumerable<string> SurfaceMembers(ModelSurface surface, string fail)
    {
        if (!surface.GradientSet || surface.Entries.FirstOrDefault(e => e.IsTrain) is not { } train) yield break;
        var model = surface.ClassName;
        // A shape may still name a dimension the failed lowering never bound; its gradient is left out
        // (every member throws, so the set only has to compile).
        var dims = new HashSet<string>(ModelEmitter.HyperDims(surface.Hypers), StringComparer.Ordinal);
        var layout = Layout(surface.Variables.Where(v => v.Trainable && v.Shape.All(d => d.IsStatic || dims.Contains(d.Symbol!))).ToList());
        yield return EmitClass(model, layout, Buckets(layout));
        var inputs = (train with { Method = GradientSplitPass.ComputeGradients, IsTrain = false }).ParameterList;
        yield return $"{ComputeDoc}\n{ComputeDeclaration(model, inputs)} => {fail}";
        yield return $"{OverloadDoc}\n{OverloadDeclaration(model, inputs)} => {fail}";
        yield return $"{ApplyDoc}\n{ApplyDeclaration(model)} => {fail}";
    }
}
