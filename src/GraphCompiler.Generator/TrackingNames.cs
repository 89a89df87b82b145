namespace GraphCompiler.Generator;

/// <summary>Names of the pipeline steps, for incrementality tests (GeneratorDriver step tracking).</summary>
public static class TrackingNames
{
    /// <summary>The transform: a [Model] class lowered to its equatable spec.</summary>
    public const string Lower = "GraphCompiler.Lower";
}
