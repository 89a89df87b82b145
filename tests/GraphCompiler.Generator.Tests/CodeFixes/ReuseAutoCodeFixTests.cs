using System.Collections.Immutable;
using GraphCompiler.Generator.CodeFixes;
using GraphCompiler.Generator.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace GraphCompiler.Generator.Tests.CodeFixes;

/// <summary>The Reuse.Auto code fix edits the scope named by the diagnostic, and the fixed model lowers.</summary>
public class ReuseAutoCodeFixTests
{
    private const string Layers = Models.Usings + """
        static class Layers
        {
            public static Tensor FullyConnected(Tensor x, int outputDim, string scope)
            {
                using var _ = VariableScope(scope);
                var w = GetVariable("weights", [x.Shape[1], outputDim], Init.RandomNormal());
                return MatMul(x, w);
            }
        }
        """;

    private static readonly string Model = Expect.InModel("""
        [Loss] static Tensor Loss([Shape("n", 3)] Tensor x) => ReduceSum(Layers.FullyConnected(x, 3, "h1"));
        static Tensor Predict([Shape("n", 3)] Tensor x) => Layers.FullyConnected(x, 3, "h1");
        """);

    [Fact]
    public void DiagnosticNamesTheEnclosingScope()
    {
        var run = GeneratorHarness.Run(("Model.cs", Model), ("Layers.cs", Layers));
        var d = run.GeneratorDiagnostics.Single(x => x.Id == "GC0300");
        Assert.Equal("Layers.cs", d.Location.GetLineSpan().Path);
        Assert.True(ReuseAutoCodeFix.TryReadScope(d, out var file, out var span));
        Assert.Equal("Layers.cs", file);
        Assert.Equal("VariableScope(scope)", Layers.Substring(span.Start, span.Length));
    }

    [Fact]
    public void RewriterAddsOrReplacesTheReuseArgument()
    {
        static string Fix(string call)
        {
            var tree = CSharpSyntaxTree.ParseText("class C { void M() { using var _ = " + call + "; } }");
            var start = tree.GetText().ToString().IndexOf("VariableScope", StringComparison.Ordinal);
            var root = ReuseAutoRewriter.SetReuseAuto(tree.GetRoot(), new TextSpan(start, call.Length))!;
            var text = root.ToFullString();
            return text.Substring(start, text.IndexOf(';', start) - start);
        }
        Assert.Equal("VariableScope(\"a\", global::GraphCompiler.Reuse.Auto)", Fix("VariableScope(\"a\")"));
        Assert.Equal("VariableScope(\"a\", global::GraphCompiler.Reuse.Auto)", Fix("VariableScope(\"a\", Reuse.True)"));
        Assert.Equal("VariableScope(name: \"a\", reuse: global::GraphCompiler.Reuse.Auto)", Fix("VariableScope(name: \"a\")"));
        Assert.Equal("VariableScope(reuse: global::GraphCompiler.Reuse.Auto, name: \"a\")", Fix("VariableScope(reuse: Reuse.False, name: \"a\")"));
    }

    [Fact]
    public async Task CodeFixMakesTheModelLowerWithSharedVariables()
    {
        using var workspace = new AdhocWorkspace();
        var compilation = GeneratorHarness.Compile();
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Create(), "Models", "Models", LanguageNames.CSharp,
            compilationOptions: compilation.Options, parseOptions: GeneratorHarness.ParseOptions, metadataReferences: compilation.References));
        var model = workspace.AddDocument(DocumentInfo.Create(DocumentId.CreateNewId(project.Id), "Model.cs",
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(Model), VersionStamp.Create())), filePath: "Model.cs"));
        var layers = workspace.AddDocument(DocumentInfo.Create(DocumentId.CreateNewId(project.Id), "Layers.cs",
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(Layers), VersionStamp.Create())), filePath: "Layers.cs"));

        var before = (await workspace.CurrentSolution.GetProject(project.Id)!.GetCompilationAsync())!;
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(before, out _, out var diagnostics);
        var diagnostic = diagnostics.Single(d => d.Id == "GC0300");

        var actions = new List<CodeAction>();
        var context = new CodeFixContext(workspace.CurrentSolution.GetDocument(layers.Id)!, diagnostic, (a, _) => actions.Add(a), CancellationToken.None);
        await new ReuseAutoCodeFix().RegisterCodeFixesAsync(context);
        var action = Assert.Single(actions);
        Assert.Equal(ReuseAutoCodeFix.Title, action.Title);
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
        var fixedLayers = (await changed.GetDocument(layers.Id)!.GetTextAsync()).ToString();
        Assert.Contains("using var _ = VariableScope(scope, Reuse.Auto);", fixedLayers);

        var run = GeneratorHarness.Run(("Model.cs", Model), ("Layers.cs", fixedLayers));
        Assert.Empty(run.Errors);
        Assert.Contains("var \"h1/weights\"\nentry", run.ModelText);
    }
}
