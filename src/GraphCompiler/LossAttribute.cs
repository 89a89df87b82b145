namespace GraphCompiler;

/// <summary>
/// Marks the training objective of a model (at most one per model). The generator differentiates it
/// with respect to every trainable variable and emits the train step.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class LossAttribute : Attribute
{
}

/// <summary>
/// Forces a static method of a model to be an entry point, for example one without parameters that
/// only reads variables.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OutputAttribute : Attribute
{
}
