using System.Reflection;
using System.Text.RegularExpressions;
using GraphCompiler.Generator.Diagnostics;
using GraphCompiler.Generator.Tests.Harness;

namespace GraphCompiler.Generator.Tests.Diagnostics;

/// <summary>Every diagnostic ID has one descriptor, a docs/diagnostics.md entry, a release-tracking row and a test named after it.</summary>
public class DiagnosticCatalogTests
{
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
        var docs = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "diagnostics.md"));
        Assert.Matches(new Regex($"^### {id} ", RegexOptions.Multiline), docs);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void IdIsTracked(string id)
    {
        var releases = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "GraphCompiler.Generator", "AnalyzerReleases.Unshipped.md"));
        var descriptor = Descriptors.ById(id);
        Assert.Contains($"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", releases);
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
