namespace GraphCompiler.Generator;

/// <summary>Names of the pipeline steps, for incrementality tests (GeneratorDriver step tracking).</summary>
public static class TrackingNames
{
    /// <summary>The transform: a [Model] class lowered to its equatable spec (runs on every edit: it reads the semantic model).</summary>
    public const string Lower = "GraphCompiler.Lower";

    /// <summary>The part of the spec the compile step reads: no absolute positions.</summary>
    public const string CompileInput = "GraphCompiler.CompileInput";

    /// <summary>The compiler stages and the emitter: generated source and diagnostics.</summary>
    public const string Compile = "GraphCompiler.Compile";

    /// <summary>The generated file alone, the input of the step that adds it.</summary>
    public const string Source = "GraphCompiler.Source";
}
