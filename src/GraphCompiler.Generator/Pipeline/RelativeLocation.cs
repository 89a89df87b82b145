using Microsoft.CodeAnalysis.Text;

namespace GraphCompiler.Generator.Pipeline;

/// <summary>
/// A source location relative to an <see cref="Anchor"/> (by its index in the model's anchor list):
/// the offset and the lines count from the anchor's start; the characters within a line are kept
/// as they are, since lines added above do not move them. The compile step sees only these, so a
/// comment above a model leaves its input equal and nothing is compiled or emitted again.
/// </summary>
internal sealed record RelativeLocation(int Anchor, TextSpan Span, LinePositionSpan LineSpan)
{
    public static RelativeLocation Of(LocationInfo absolute, int index, Anchor anchor) =>
        new(index, new TextSpan(absolute.Span.Start - anchor.Start, absolute.Span.Length), Shift(absolute.LineSpan, -anchor.Line));

    public LocationInfo Resolve(IReadOnlyList<Anchor> anchors)
    {
        var anchor = anchors[Anchor];
        return new LocationInfo(anchor.FilePath, new TextSpan(Span.Start + anchor.Start, Span.Length), Shift(LineSpan, anchor.Line));
    }

    private static LinePositionSpan Shift(LinePositionSpan span, int lines) =>
        new(new LinePosition(span.Start.Line + lines, span.Start.Character), new LinePosition(span.End.Line + lines, span.End.Character));
}
