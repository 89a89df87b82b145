using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Model;
using GraphCompiler.Compiler.Passes;
using GraphCompiler.Compiler.Passes.Optimizers;

namespace GraphCompiler.Compiler.Emit;

/// <summary>
/// Run-time freezing: one private train step per combination of the model's freezable scopes
/// (<see cref="FreezeSets"/>), each built with those scopes' variables left out of autodiff and the
/// optimizer update, so that a frozen variable costs no gradient kernel and touches no slot. The public
/// <c>TrainStep</c> forwards to the variant of the scopes now frozen; <c>Freeze</c>/<c>Unfreeze</c>
/// choose it. Variants are generated ahead rather than the step specialised at run time because the
/// whole point of the compiler is that every step is planned (kernels, arena) at build time.
/// </summary>
internal sealed class FreezeVariants
{
    private const string TrainStep = "TrainStep";
    private const string MaskField = "_frozenScopeMask";
    private readonly IReadOnlyList<string> _scopes;
    private readonly IReadOnlyList<string> _frozen;
    private readonly List<(int Mask, string Method)> _variants = new();

    public FreezeVariants(ModelDefinition model)
    {
        var spec = OptimizerSpec.Parse(model.Optimizer);
        _scopes = FreezeSets.Freezable(spec);
        _frozen = FreezeSets.Frozen(spec);
    }

    /// <summary>The model's variables, those frozen at build time marked not trainable, as TensorFlow lists them.</summary>
    public IEnumerable<VariableInfo> MarkFrozen(IEnumerable<VariableInfo> variables) =>
        variables.Select(v => v.Trainable && FreezeSets.IsFrozen(_frozen, v.Name) ? v with { Trainable = false } : v);

    private bool Active => _scopes.Count > 0;

    /// <summary>Whether the model has run-time freeze variants of its train step.</summary>
    public bool HasVariants => _variants.Count > 0;

    public bool IsVariant(string method) => _variants.Any(v => v.Method == method);

    /// <summary>
    /// The train step of every non-empty combination of freezable scopes that leaves something to train
    /// (freezing everything trains nothing: that combination has no variant, and <c>Freeze</c> says so).
    /// </summary>
    public IEnumerable<(string Method, Graph Train)> Build(EntryPoint loss, string optimizer)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (int mask = 1; mask < 1 << _scopes.Count; mask++)
        {
            var frozen = Scopes(mask).ToList();
            Graph train;
            try
            {
                train = OptimizerPass.BuildTrainStep(loss, optimizer, frozen);
            }
            catch (CompileException e) when (e.Id == "GC0402")
            {
                continue;
            }
            var method = TrainStep + "Freeze" + string.Concat(frozen.Select(CSharpNames.Pascal));
            if (!taken.Add(method)) method += "_" + mask.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _variants.Add((mask, method));
            yield return (method, train);
        }
    }

    /// <summary>
    /// The emitted members of one entry, adjusted: a variant's method becomes private (users reach it
    /// through <c>TrainStep</c>), and <c>TrainStep</c> forwards to the variant of the frozen scopes.
    /// </summary>
    public IReadOnlyList<string> Adjust(string method, IReadOnlyList<ModelParameter> parameters, Graph compiled, IReadOnlyList<string> members)
    {
        if (!Active || (method != TrainStep && !IsVariant(method))) return members;
        var signature = EntrySignature.Of(method, true, parameters, compiled);
        var declaration = signature.Declaration;
        var replacement = method == TrainStep
            ? $"{declaration}\n{{\n    if ({MaskField} != 0) return {TrainStep}OfFrozenScopes({string.Join(", ", Arguments(signature))});"
            : "private" + declaration.Substring("public".Length);
        var result = members.ToList();
        int at = result.FindIndex(m => m.Contains(declaration + "\n{"));
        if (at < 0) throw new InvalidOperationException($"the method {method} was not emitted in the form expected");
        result[at] = result[at].Replace(method == TrainStep ? declaration + "\n{" : declaration, replacement);
        if (method == TrainStep) result.Add(Dispatch(signature));
        return result;
    }

    /// <summary>The members that choose the variant: the freezable scopes, the frozen set, Freeze and Unfreeze.</summary>
    public IEnumerable<string> Members()
    {
        if (!Active) yield break;
        const string State = "GraphCompiler.Runtime.Training.FreezeState";
        yield return FreezableScopesMember(_scopes);
        yield return $"private static readonly int[] FreezeVariantMasks = {{ {string.Join(", ", _variants.Select(v => v.Mask))} }};";
        yield return $"private int {MaskField};";
        yield return $"/// <summary>The freezable scopes now frozen, in declaration order.</summary>\npublic System.Collections.Generic.IReadOnlyList<string> FrozenScopes => {State}.Names(FreezableScopes, {MaskField});";
        yield return "/// <summary>\n/// Freezes <paramref name=\"scopes\"/> (each one of <see cref=\"FreezableScopes\"/>): from now on <c>TrainStep</c> runs the\n/// variant generated for the frozen set, which computes no gradient for their variables and leaves them and\n/// their optimizer slots unchanged. Throws, changing nothing, for a scope that is not freezable or a set that\n/// would leave nothing to train.\n/// </summary>\n" +
            $"public void Freeze(params string[] scopes) => {MaskField} = {State}.Change(this, FreezableScopes, FreezeVariantMasks, {MaskField}, scopes, freeze: true);";
        yield return "/// <summary>Unfreezes <paramref name=\"scopes\"/>; with none given, every scope. Unfrozen variables train again from their current values and slots.</summary>\n" +
            $"public void Unfreeze(params string[] scopes) => {MaskField} = {State}.Change(this, FreezableScopes, FreezeVariantMasks, {MaskField}, scopes, freeze: false);";
    }

    /// <summary>
    /// The same members on the surface of a model with build errors (<see cref="SurfaceEmitter"/>): the declared
    /// scopes, and <c>FrozenScopes</c>, <c>Freeze</c> and <c>Unfreeze</c> running <paramref name="fail"/>.
    /// </summary>
    public static IEnumerable<string> SurfaceMembers(IReadOnlyList<string> scopes, string fail)
    {
        if (scopes.Count == 0) yield break;
        yield return FreezableScopesMember(scopes);
        yield return $"/// <summary>The model has build errors.</summary>\npublic System.Collections.Generic.IReadOnlyList<string> FrozenScopes => {fail};";
        yield return $"/// <summary>The model has build errors.</summary>\npublic void Freeze(params string[] scopes) => {fail};";
        yield return $"/// <summary>The model has build errors.</summary>\npublic void Unfreeze(params string[] scopes) => {fail};";
    }

    private static string FreezableScopesMember(IReadOnlyList<string> scopes) =>
        $"/// <summary>The scopes <see cref=\"Freeze\"/> can freeze, as <c>[Model(Freezable = ...)]</c> declares them; each combination has a train step of its own.</summary>\npublic static System.Collections.Generic.IReadOnlyList<string> FreezableScopes {{ get; }} = new string[] {{ {string.Join(", ", scopes.Select(CSharpNames.StringLiteral))} }};";

    private string Dispatch(EntrySignature signature)
    {
        var arguments = string.Join(", ", Arguments(signature));
        var lines = new List<string>
        {
            "/// <summary>The train step of the scopes now frozen (<see cref=\"Freeze\"/>).</summary>",
            $"private {signature.ReturnType} {TrainStep}OfFrozenScopes({string.Join(", ", signature.ParameterList)}) => {MaskField} switch",
            "{",
        };
        lines.AddRange(_variants.Select(v => $"    {v.Mask} => {v.Method}({arguments}),"));
        lines.Add($"    _ => throw new System.InvalidOperationException(\"no train step was generated for the frozen scopes \" + string.Join(\", \", FrozenScopes)),");
        lines.Add("};");
        return string.Join("\n", lines);
    }

    private static IEnumerable<string> Arguments(EntrySignature signature) =>
        signature.ParameterList.Select(p => p.Substring(p.LastIndexOf(' ') + 1));

    private IEnumerable<string> Scopes(int mask) => _scopes.Where((_, i) => (mask & (1 << i)) != 0);
}
