using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Generator.Output;
using GraphCompiler.Generator.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GraphCompiler.Generator.Tests.Output;

/// <summary><c>&lt;GraphCompilerDump&gt;</c> adds a dump of every entry point's IR after each pass and its kernel plan.</summary>
public class CompilerDumpTests
{
    /// <summary>The passes between the train step's construction and fusion, each of which dumps the IR after it.</summary>
    private static IEnumerable<string> SimplificationPasses =>
        Compiler.Passes.PassPipeline.Order.SkipWhile(p => p != "OptimizerUpdatePass").Skip(1).TakeWhile(p => p != Compiler.Passes.PassPipeline.FusionPass);

    [Fact]
    public void TheDumpHasTheIrAfterEveryPassAndTheKernelPlanAndTheIrParses()
    {
        var sources = Generate(Models.TwoLayerMlp, dump: "ir;plan");
        var dump = Assert.Single(sources, s => s.Key.EndsWith(".dump.g.cs", StringComparison.Ordinal)).Value;

        var sections = Sections(dump);
        Assert.NotEmpty(SimplificationPasses);
        foreach (var entry in new[] { "Loss", "TrainStep" })
        {
            Assert.Contains($"{entry}: IR entering the pass pipeline", sections.Keys);
            foreach (var pass in SimplificationPasses)
                Assert.Contains($"{entry}: IR after {pass}", sections.Keys);
            Assert.Contains($"{entry}: kernel plan after LowerKernelsPass", sections.Keys);
            Assert.Contains($"{entry}: kernel plan after PlanMemoryPass", sections.Keys);
        }
        // Every IR section is the IR's own text form: it parses back to a graph with nodes.
        foreach (var (title, text) in sections.Where(s => s.Key.Contains(": IR ", StringComparison.Ordinal)))
            Assert.True(GraphText.Parse(text).Nodes.Count > 0, title);
        // The dump is a C# file of comments: the model still compiles with it.
        Assert.All(dump.Split('\n').Where(l => l.Length > 0), l => Assert.StartsWith("//", l));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("none")]
    [InlineData("false")]
    public void WithoutThePropertyThereIsNoDump(string? value)
    {
        var sources = Generate(Models.TwoLayerMlp, dump: value);
        Assert.DoesNotContain(sources.Keys, k => k.EndsWith(".dump.g.cs", StringComparison.Ordinal));
        Assert.Contains(sources.Keys, k => k.EndsWith(".g.cs", StringComparison.Ordinal));
    }

    private static Dictionary<string, string> Sections(string dump)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        string? title = null;
        // Titles are unique (a pass run twice is numbered): Add would throw on a repeat.
        var lines = new List<string>();
        foreach (var line in dump.Replace("\r\n", "\n").Split('\n').Append(CompilerDump.SectionMarker + "end"))
        {
            if (line.StartsWith(CompilerDump.SectionMarker, StringComparison.Ordinal))
            {
                if (title is not null) sections.Add(title, string.Join("\n", lines) + "\n");
                title = line.Substring(CompilerDump.SectionMarker.Length);
                lines.Clear();
            }
            else if (title is not null && line.StartsWith("// ", StringComparison.Ordinal))
                lines.Add(line.Substring(3));
        }
        return sections;
    }

    private static IReadOnlyDictionary<string, string> Generate(string source, string? dump)
    {
        var compilation = GeneratorHarness.Compile(("Model.cs", source));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new ModelGenerator().AsSourceGenerator()],
            parseOptions: GeneratorHarness.ParseOptions,
            optionsProvider: new BuildProperties(dump is null ? [] : new Dictionary<string, string> { [CompilerDump.BuildProperty] = dump }));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        return driver.GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
    }

    /// <summary>The MSBuild properties a project makes visible to the generator (<c>build_property.*</c>).</summary>
    private sealed class BuildProperties(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(values);
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(ImmutableDictionary<string, string>.Empty);
        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options(ImmutableDictionary<string, string>.Empty);

        private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }
}
