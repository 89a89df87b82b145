using GraphCompiler.Generator.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// The anchors of one model's node locations, in order of first use: each located node is anchored
/// at the innermost member declaration holding it (the entry method, the helper it was inlined from,
/// or the class for the class name), which is what an edit elsewhere in the file moves as a whole.
/// </summary>
internal sealed class AnchorTable
{
    private readonly List<Anchor> _anchors = new();
    private readonly Dictionary<SyntaxNode, int> _indexOf = new();

    public EquatableArray<Anchor> Anchors => _anchors.ToEquatableArray();

    public RelativeLocation Relate(SyntaxNode node, LocationInfo absolute)
    {
        SyntaxNode member = node.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? node.SyntaxTree.GetRoot();
        if (!_indexOf.TryGetValue(member, out var index))
        {
            _indexOf[member] = index = _anchors.Count;
            _anchors.Add(new Anchor(absolute.FilePath, member.SpanStart, member.GetLocation().GetLineSpan().StartLinePosition.Line));
        }
        return RelativeLocation.Of(absolute, index, _anchors[index]);
    }
}
