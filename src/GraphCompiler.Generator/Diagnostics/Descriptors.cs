using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace GraphCompiler.Generator.Diagnostics;

/// <summary>
/// Every diagnostic the generator reports, banded by stage (docs/diagnostics.md): GC00xx discovery,
/// GC01xx unsupported C#, GC02xx shapes and dtypes, GC03xx scopes and variables, GC04xx the train
/// step and differentiation, GC05xx build statistics, GC06xx code generation, GC09xx internal. The
/// compiler stages raise IDs of their own as data (<see cref="ForCompiler"/>); each of those has a
/// descriptor here too. Each message says what to do, and each help link opens the ID's entry.
/// </summary>
internal static class Descriptors
{
    private const string Discovery = "GraphCompiler.Discovery";
    private const string Unsupported = "GraphCompiler.UnsupportedCSharp";
    private const string Shapes = "GraphCompiler.Shapes";
    private const string Scopes = "GraphCompiler.Scopes";
    private const string Autodiff = "GraphCompiler.Autodiff";
    private const string Build = "GraphCompiler.Build";
    private const string Internal = "GraphCompiler.Internal";

    // ---- GC00xx: discovery of the model class and its entry methods ----

    public static readonly DiagnosticDescriptor ModelNotPartial = Error("GC0001", "Model class must be partial",
        "Model class '{0}' must be declared partial: add the 'partial' modifier so the generator can add the model's members", Discovery);

    public static readonly DiagnosticDescriptor NoEntryPoints = Warning("GC0002", "Model has no entry methods",
        "Model '{0}' has no entry methods: add a static method whose parameters are [Shape] Tensors, or mark one [Loss] or [Output]", Discovery);

    public static readonly DiagnosticDescriptor BadShapeArgument = Error("GC0003", "Invalid [Shape] dimension",
        "[Shape] dimension {0} is invalid: {1}; use a non-negative int for a static size or an identifier string for a symbolic one", Discovery);

    public static readonly DiagnosticDescriptor UnshapedParameter = Error("GC0004", "Entry parameter without [Shape]",
        "Parameter '{0}' of entry method '{1}' must be a Tensor with a [Shape] attribute: every parameter of an entry method is a placeholder fed at each call", Discovery);

    public static readonly DiagnosticDescriptor NonStaticModelMethod = Error("GC0005", "Model method must be static",
        "Model method '{0}' must be static: model code runs at build time, where there is no instance (only a model with [Hyper] properties may have instance model methods, which read them)", Discovery);

    public static readonly DiagnosticDescriptor MultipleLoss = Error("GC0006", "More than one [Loss] method",
        "Model '{0}' already has the [Loss] method '{1}': a model has one training objective; remove [Loss] from all but one method", Discovery);

    public static readonly DiagnosticDescriptor UnsupportedModelClass = Error("GC0007", "Unsupported model class",
        "Model class '{0}' must be a top-level, non-generic, non-static class", Discovery);

    public static readonly DiagnosticDescriptor BadReturnType = Error("GC0008", "Unsupported entry return type",
        "Entry method '{0}' returns '{1}': return a Tensor, a tuple of Tensors, or void", Discovery);

    public static readonly DiagnosticDescriptor GenericEntry = Error("GC0009", "Generic entry method",
        "Entry method '{0}' cannot be generic: its graph is built once, at build time; move the generic code into a helper", Discovery);

    public static readonly DiagnosticDescriptor LossNotTensor = Error("GC0010", "Loss must return one Tensor",
        "[Loss] method '{0}' must return a single Tensor, the objective to minimise; return other values from a separate entry method", Discovery);

    public static readonly DiagnosticDescriptor OverloadedEntry = Error("GC0012", "Entry methods with the same name",
        "Another entry method is already named '{0}': the generated method, its state and its kernels are named after the entry; rename one of them", Discovery);

    public static readonly DiagnosticDescriptor BadShapeDType = Error("GC0011", "Invalid [Shape] dtype",
        "[Shape] DType {0} of parameter '{1}' is not a DType: use one of DType.Float32, Float64, Int32, Int64 or Bool", Discovery);

    public static readonly DiagnosticDescriptor BadHyper = Error("GC0013", "Invalid [Hyper] property",
        "[Hyper] property '{0}' {1}: a hyperparameter is an instance property of type int (a dimension) or float (a value) with an automatic getter, set by the generated constructor", Discovery);

    // ---- GC01xx: C# that model code cannot use ----

    public static readonly DiagnosticDescriptor UnsupportedStatement = Error("GC0100", "Unsupported statement",
        "'{0}' statements are not supported in model code: use locals, ops, helper calls, for/foreach loops with compile-time bounds, if on compile-time values and using scopes", Unsupported);

    public static readonly DiagnosticDescriptor WhileLoop = Error("GC0101", "while loops are not supported",
        "'{0}' loops are not supported in model code: use a for loop with compile-time bounds, which is unrolled", Unsupported);

    public static readonly DiagnosticDescriptor NonConstantLoop = Error("GC0102", "Loop bound is not a compile-time constant",
        "The loop {0} is not known at compile time ({1}): loops are unrolled, so their bounds must be compile-time values", Unsupported);

    public static readonly DiagnosticDescriptor NonConstantCondition = Error("GC0103", "Condition is not a compile-time constant",
        "This condition is not known at compile time ({0}): model code can branch only on compile-time values such as static shapes and constants", Unsupported);

    public static readonly DiagnosticDescriptor Lambda = Error("GC0104", "Lambdas are not supported",
        "{0} are not supported in model code: write a static helper method instead", Unsupported);

    public static readonly DiagnosticDescriptor SymbolicDimension = Error("GC0105", "Symbolic dimension used as a compile-time value",
        "Dimension '{0}' is symbolic (known only at call time) and cannot be used {1}: use a static size here", Unsupported);

    public static readonly DiagnosticDescriptor InstanceState = Error("GC0106", "Instance or mutable state",
        "'{0}' is instance or mutable state, which model code cannot use: pass the value as a parameter or make it a const", Unsupported);

    public static readonly DiagnosticDescriptor UnknownMethod = Error("GC0107", "Unknown method",
        "'{0}' is not a GraphCompiler op and has no source in this compilation to inline: model code can call ops and static methods defined in source", Unsupported);

    public static readonly DiagnosticDescriptor RecursionTooDeep = Error("GC0108", "Inlining too deep",
        "Inlining '{0}' exceeds {1} nested calls: recursion in model code must end at compile time within that depth", Unsupported);

    public static readonly DiagnosticDescriptor UnsupportedExpression = Error("GC0109", "Unsupported expression",
        "{0} is not supported in model code: use tensors, ops, helper calls and compile-time values (numbers, strings, arrays, tuples)", Unsupported);

    public static readonly DiagnosticDescriptor UnrollLimit = Error("GC0110", "Loop unrolls too far",
        "This loop runs more than {0} iterations at compile time: unrolling it would make an oversized graph; check its bounds", Unsupported);

    public static readonly DiagnosticDescriptor NotATensor = Error("GC0111", "Value is not a tensor",
        "This value is not a tensor ({0}): assign the local or array element a tensor before using it", Unsupported);

    public static readonly DiagnosticDescriptor EvaluationError = Error("GC0112", "Compile-time evaluation failed",
        "Evaluating this expression at compile time failed: {0}", Unsupported);

    public static readonly DiagnosticDescriptor SymbolicLoop = Error("GC0120", "Not expressible in a loop over a symbolic dimension",
        "A loop over a symbolic dimension runs as one loop region, evaluated once for all steps; it cannot hold {0}", Unsupported);

    public static readonly DiagnosticDescriptor HyperAsConstant = Error("GC0115", "Hyperparameter used as a compile-time value",
        "The hyperparameter '{0}' is used {1}, which needs a value known at build time; a hyperparameter is known only when the model is constructed: use it in variable shapes, [Shape] strings or initializer arguments, or make it a constant", Unsupported);

    public static readonly DiagnosticDescriptor MathOnTensor = Error("GC0113", "Math function applied to a tensor",
        "{0} computes on numbers at build time and cannot take a tensor: {1}", Unsupported);

    public static readonly DiagnosticDescriptor TensorComparison = Error("GC0114", "Tensor compared with an operator",
        "'{0}' compares a tensor, whose values are known only when the model runs: {1}", Unsupported);

    // ---- GC02xx: shapes and dtypes ----

    public static readonly DiagnosticDescriptor ShapeError = Error("GC0200", "Shape or dtype error",
        "{0}", Shapes);

    public static readonly DiagnosticDescriptor VariableShapeNotStatic = Error("GC0201", "Variable shape must be static",
        "The shape of variable '{0}' must be static, non-negative ints: {1}", Shapes);

    public static readonly DiagnosticDescriptor InitializerSize = Error("GC0202", "Initializer size mismatch",
        "The initializer of variable '{0}' has {1} values but shape {2} has {3} elements: give 1 value or one per element", Shapes);

    public static readonly DiagnosticDescriptor TensorTooLarge = Error("GC0203", "Tensor too large",
        "{0} of shape {1} has {2} elements, more than one array can hold ({3}): use smaller dimensions", Shapes);

    public static readonly DiagnosticDescriptor SymbolicShapeNotRepresentable = Error("GC0250", "Result shape is not a single dimension",
        "{0}", Shapes);

    public static readonly DiagnosticDescriptor ConvolutionNotFloat32 = Error("GC0260", "Convolution is compiled for float32 only",
        "{0} of {1} is not compiled: convolutions run on the single-precision implicit GEMM; Cast(x, DType.Float32) the image and the filters", Shapes);

    // ---- GC03xx: variable scopes and variables ----

    public static readonly DiagnosticDescriptor VariableExists = Error("GC0300", "Variable already exists",
        "Variable {0} already exists, disallowed. Did you mean to set reuse=True in VarScope? {1}", Scopes);

    public static readonly DiagnosticDescriptor VariableMissing = Error("GC0301", "Variable does not exist",
        "Variable {0} does not exist, or was not created with GetVariable, disallowed. Did you mean to set reuse=Reuse.Auto in VarScope? Reuse.True only fetches existing variables", Scopes);

    public static readonly DiagnosticDescriptor VariableConflict = Error("GC0302", "Variable shape or dtype conflict",
        "Trying to share variable {0}, but specified {1} and found {2}: use the same shape and dtype wherever it is shared", Scopes);

    public static readonly DiagnosticDescriptor InvalidName = Error("GC0303", "Invalid scope or variable name",
        "'{0}' is not a valid {1} name: use letters, digits, '_', '.' and '-' (scopes nest through code, not through '/')", Scopes);

    public static readonly DiagnosticDescriptor GetVariableInLoop = Error("GC0304", "GetVariable in a loop without reuse",
        "GetVariable(\"{0}\") runs on every iteration of a loop, so the second iteration creates {1} again: open the enclosing variable scope with Reuse.Auto to share one variable across iterations", Scopes);

    public static readonly DiagnosticDescriptor VariableInLoop = Warning("GC0305", "Variable in a loop",
        "Variable(\"{0}\") inside a loop creates a new variable on every iteration ({1}, {1}_1, ...): use GetVariable in a VariableScope with Reuse.Auto to share one", Scopes);

    public static readonly DiagnosticDescriptor ScopeWithoutUsing = Error("GC0306", "Scope opened without using",
        "{0}(...) must be the resource of a using declaration or statement (using var _ = {0}(...);) so that the scope closes", Scopes);

    public static readonly DiagnosticDescriptor FrozenScopeMatchesNothing = Error("GC0350", "Frozen scope matches no variable",
        "'{0}' in [Model({1} = ...)] matches no variable of model '{2}': name a variable's full name or a variable scope; the model's top-level scopes and variables are {3}", Scopes);

    public static readonly DiagnosticDescriptor TooManyFreezableScopes = Error("GC0351", "Too many freezable scopes",
        "[Model(Freezable = ...)] names {0} scopes, but at most {1} can be freezable, since every combination is a train step of its own: freeze the others at build time with Frozen, or put them under one scope", Scopes);

    // ---- GC04xx: the train step (raised by the compiler stages, which write the whole message) and Ops.Gradients ----

    public static readonly DiagnosticDescriptor NoGradientOnTrainingPath = Error("GC0400", "No gradient on the training path",
        "{0}", Autodiff);

    public static readonly DiagnosticDescriptor LossNotScalar = Error("GC0401", "Loss is not a scalar",
        "{0}", Autodiff);

    public static readonly DiagnosticDescriptor LossWithoutVariables = Error("GC0402", "Loss depends on no trainable variable",
        "{0}", Autodiff);

    public static readonly DiagnosticDescriptor TrainableNotFloat32 = Error("GC0403", "Trainable variable is not float32",
        "{0}", Autodiff);

    public static readonly DiagnosticDescriptor UnsupportedOptimizer = Error("GC0404", "Unsupported optimizer",
        "{0}", Autodiff);

    public static readonly DiagnosticDescriptor InvalidSchedule = Error("GC0405", "Invalid learning-rate schedule",
        "{0}", Autodiff);

    public static readonly DiagnosticDescriptor NoGradients = Error("GC0406", "No gradients provided for any variable",
        "{0}", Autodiff);

    public static readonly DiagnosticDescriptor NoGradientOnPath = Error("GC0410", "No gradient on a differentiated path",
        "Op '{0}' ({1}) has no gradient, but Gradients differentiates through it on the path {2}: wrap its input in StopGradient, or differentiate a value that does not depend on it", Autodiff);

    // ---- GC05xx / GC06xx / GC09xx: build statistics, code generation, internal ----

    public static readonly DiagnosticDescriptor ModelStats = Make("GC0500", "Model statistics",
        "Model {0}: {1} parameters, {2} kernels ({3} before fusion), arena {4} bytes, about {5} FLOPs per train step", Build, DiagnosticSeverity.Info);

    public static readonly DiagnosticDescriptor GradientBuckets = Make("GC0501", "Gradient all-reduce buckets",
        "{0}", Build, DiagnosticSeverity.Info);

    public static readonly DiagnosticDescriptor TooManyKernels = Warning("GC0510", "Model has too many kernels",
        "Model {0} compiles to {1} kernels, more than {2}: every step of a loop unrolled at build time adds its own kernels, which slows the build and the IDE; unroll fewer steps (a shorter sequence, fewer layers)", Build);

    public static readonly DiagnosticDescriptor EmitFailed = Error("GC0600", "Code generation failed",
        "Generating the code of model '{0}' failed: {1}", Build);

    public static readonly DiagnosticDescriptor LoopNotGenerated = Error("GC0610", "Loop region has no generated code yet",
        "{0}", Build);

    public static readonly DiagnosticDescriptor InternalError = Error("GC0900", "Internal generator error",
        "Internal error while lowering '{0}': {1}; please report it together with the model code", Internal);

    private static readonly Dictionary<string, DiagnosticDescriptor> All = typeof(Descriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToDictionary(d => d.Id);

    /// <summary>All descriptors of the generator, by ID.</summary>
    public static IReadOnlyDictionary<string, DiagnosticDescriptor> ByIdTable => All;

    public static DiagnosticDescriptor ById(string id) => All[id];

    /// <summary>
    /// The descriptor and message arguments of a diagnostic raised by the compiler stages, which write
    /// their whole message: it is the only argument of a "{0}" descriptor, and the second (after the
    /// model's name) of one that names the model, such as GC0900. An ID without a descriptor is an
    /// internal error, so that a new compiler ID cannot reach the user undocumented.
    /// </summary>
    public static (DiagnosticDescriptor Descriptor, object[] Args) ForCompiler(string id, string modelName, string message)
    {
        if (!All.TryGetValue(id, out var descriptor))
            return (InternalError, new object[] { modelName, $"the compiler raised {id}, which has no descriptor: {message}" });
        return descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture) == "{0}"
            ? (descriptor, new object[] { message })
            : (descriptor, new object[] { modelName, message });
    }

    private static readonly Dictionary<string, DiagnosticDescriptor> MessageDescriptors = new();

    /// <summary>
    /// <paramref name="descriptor"/> with a message written in full by the caller (one diagnostic for
    /// several models names them after the descriptor's own message).
    /// </summary>
    public static DiagnosticDescriptor WithMessage(DiagnosticDescriptor descriptor)
    {
        lock (MessageDescriptors)
        {
            if (!MessageDescriptors.TryGetValue(descriptor.Id, out var d))
                MessageDescriptors[descriptor.Id] = d = new DiagnosticDescriptor(descriptor.Id, descriptor.Title, "{0}", descriptor.Category, descriptor.DefaultSeverity,
                    descriptor.IsEnabledByDefault, descriptor.Description, descriptor.HelpLinkUri, descriptor.CustomTags.ToArray());
            return d;
        }
    }

    /// <summary>
    /// Where each diagnostic is explained: its entry in docs/diagnostics.md, whose anchor is the ID in
    /// lower case (an explicit anchor before the heading, so that retitling an entry keeps its links).
    /// </summary>
    public const string HelpLinkBase = "https://github.com/GraphCompiler/GraphCompiler/blob/main/docs/diagnostics.md";

    public static string HelpLink(string id) => HelpLinkBase + "#" + id.ToLowerInvariant();

    private static DiagnosticDescriptor Error(string id, string title, string message, string category) =>
        Make(id, title, message, category, DiagnosticSeverity.Error);

    private static DiagnosticDescriptor Warning(string id, string title, string message, string category) =>
        Make(id, title, message, category, DiagnosticSeverity.Warning);

    private static DiagnosticDescriptor Make(string id, string title, string message, string category, DiagnosticSeverity severity) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, helpLinkUri: HelpLink(id));
}
