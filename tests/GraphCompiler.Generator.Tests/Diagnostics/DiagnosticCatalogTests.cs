using System.Reflection;
using System.Text.RegularExpressions;
using GraphCompiler.Generator.Diagnostics;
using GraphCompiler.Generator.Tests.Harness;

namespace GraphCompiler.Generator.Tests.Diagnostics;

/// <summary>
/// Every diagnostic ID has one descriptor, a docs/diagnostics.md entry (headed by its title, with an
/// example and the fix, behind the anchor its help link opens), a release-tracking row and a test
/// named after it; and every ID the compiler stages raise has a descriptor.
/// </summary>
public class DiagnosticCatalogTests
{
    private static readonly Lazy<string> Docs = new(() => File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "diagnostics.md")));

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var id in Descriptors.ByIdTable.Keys.OrderBy(k => k, StringComparer.Ordinal)) data.Add(id);
        return data;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void IdIsDocumented(string id)
    {
        var entry = Entry(id);
        Assert.Contains("```", entry); // an example: model code, or the message itself where no code causes it
        Assert.Contains("**Fix:**", entry);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void HelpLinkOpensTheEntry(string id)
    {
        var link = Descriptors.ById(id).HelpLinkUri;
        Assert.Equal(Descriptors.HelpLinkBase + "#" + id.ToLowerInvariant(), link);
        Assert.True(Uri.IsWellFormedUriString(link, UriKind.Absolute), link);
        // The anchor is explicit, on the line above the entry's heading, so that retitling keeps links working.
        Assert.Matches(new Regex($"^<a id=\"{id.ToLowerInvariant()}\"></a>\r?\n### {id} ", RegexOptions.Multiline), Docs.Value);
    }

    /// <summary>The entry of one ID: from its heading, which carries the descriptor's title, to the next heading.</summary>
    private static string Entry(string id)
    {
        var heading = $"### {id} {Descriptors.ById(id).Title}";
        var docs = Docs.Value;
        int start = docs.IndexOf(heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/diagnostics.md has no heading '{heading}'");
        int end = docs.IndexOf("\n#", start + heading.Length, StringComparison.Ordinal);
        return end < 0 ? docs.Substring(start) : docs.Substring(start, end - start);
    }

    [Fact]
    public void CompilerIdsHaveDescriptors()
    {
        // The compiler stages raise IDs as data; each must reach the user with its own descriptor.
        var compiler = Path.Combine(RepoPaths.Root, "src", "GraphCompiler.Compiler");
        var raised = Directory.EnumerateFiles(compiler, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), "\"(GC[0-9]{4})\"").Select(m => m.Groups[1].Value))
            .Distinct().ToList();
        Assert.NotEmpty(raised);
        Assert.All(raised, id => Assert.True(Descriptors.ByIdTable.ContainsKey(id), $"the compiler raises {id}, which has no descriptor"));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void IdIsTracked(string id)
    {
        var releases = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "GraphCompiler.Generator", "AnalyzerReleases.Unshipped.md"));
        var descriptor = Descriptors.ById(id);
        Assert.Contains($"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} | {descriptor.Title}", releases);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void IdHasTest(string id)
    {
        var tests = typeof(DiagnosticCatalogTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttributes<FactAttribute>().Any())
            .Select(m => m.Name);
        Assert.Contains(tests, name => name.StartsWith(id + "_", StringComparison.Ordinal));
    }

    [Fact]
    public void IdsAreBandedAndMessagesSayWhatToDo()
    {
        foreach (var d in Descriptors.ByIdTable.Values)
        {
            Assert.Matches("^GC[0-9]{4}$", d.Id);
            int band = int.Parse(d.Id.Substring(2), System.Globalization.CultureInfo.InvariantCulture) / 100;
            var expected = band switch
            {
                0 => "GraphCompiler.Discovery",
                1 => "GraphCompiler.UnsupportedCSharp",
                2 => "GraphCompiler.Shapes",
                3 => "GraphCompiler.Scopes",
                4 => "GraphCompiler.Autodiff",
                5 or 6 => "GraphCompiler.Build",
                9 => "GraphCompiler.Internal",
                _ => "no band",
            };
            Assert.Equal(expected, d.Category);
            Assert.False(string.IsNullOrWhiteSpace(d.Title.ToString()));
        }
    }
}
