using System.Globalization;
using System.Net;
using System.Text;

namespace CountVectors;

/// <summary>
/// The comparison of all methods on one corpus: a markdown table (printed and saved as
/// <c>comparison.md</c>) and a bar chart per measure (<c>comparison.svg</c>), both in the run directory.
/// </summary>
public static class ComparisonReport
{
    /// <summary>One row of the table.</summary>
    public sealed record Row(string Method, double Seconds, double CpuSeconds, Scores Scores);

    private static readonly (string Title, Func<Row, double?> Value, string Format)[] Measures =
    [
        ("seconds", r => r.Seconds, "F1"),
        ("analogy accuracy", r => r.Scores.AnalogyAccuracy, "P1"),
        ("WordSim-353 Spearman", r => r.Scores.WordSim, "F3"),
        ("SimLex-999 Spearman", r => r.Scores.SimLex, "F3"),
    ];

    /// <summary>The markdown table, with a header line naming the corpus.</summary>
    public static string Markdown(IReadOnlyList<Row> rows, string caption)
    {
        var text = new StringBuilder();
        text.Append(caption).Append("\n\n");
        text.Append("| method | seconds | CPU seconds | analogy accuracy (questions) | WordSim-353 Spearman (pairs) | SimLex-999 Spearman (pairs) |\n");
        text.Append("|---|---:|---:|---:|---:|---:|\n");
        foreach (var r in rows)
            text.Append(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Method} | {r.Seconds:F1} | {r.CpuSeconds:F1} | {RunOutputs.Format(r.Scores.AnalogyAccuracy, "P2")} ({r.Scores.AnalogyAnswered:N0}) | {RunOutputs.Format(r.Scores.WordSim, "F3")} ({r.Scores.WordSimAnswered}) | {RunOutputs.Format(r.Scores.SimLex, "F3")} ({r.Scores.SimLexAnswered}) |\n"));
        text.Append("\nSeconds: wall-clock time from the encoded corpus to the vectors (vocabulary building excluded). CPU seconds: processor time of all threads; ")
            .Append("for sgns and nce the whole word2vec program's (vocabulary, training, evaluation, embedding page), an upper bound on its training's.\n");
        return text.ToString();
    }

    /// <summary>One horizontal bar chart per measure, side by side; a missing score has no bar.</summary>
    public static string Svg(IReadOnlyList<Row> rows, string caption)
    {
        const int panelWidth = 230, barHeight = 22, label = 80, top = 50;
        int width = label + Measures.Length * panelWidth + 20, height = top + rows.Count * (barHeight + 8) + 30;
        string[] colours = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#af7aa1"];
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n<text x=\"10\" y=\"18\" font-size=\"14\">{WebUtility.HtmlEncode(caption)}</text>\n");
        for (int m = 0; m < Measures.Length; m++)
        {
            var (title, value, format) = Measures[m];
            int x0 = label + m * panelWidth;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x0}\" y=\"{top - 12}\" font-weight=\"bold\">{title}</text>\n");
            // Each panel scales to its own largest magnitude (correlations can be negative: bars then start at the axis and go left).
            double scale = rows.Select(r => Math.Abs(value(r) ?? 0)).DefaultIfEmpty(0).Max();
            double axis = rows.Any(r => value(r) < 0) ? x0 + (panelWidth - 70) / 2.0 : x0;
            double room = rows.Any(r => value(r) < 0) ? (panelWidth - 70) / 2.0 : panelWidth - 70;
            for (int i = 0; i < rows.Count; i++)
            {
                int y = top + i * (barHeight + 8);
                if (m == 0) svg.Append(CultureInfo.InvariantCulture, $"<text x=\"6\" y=\"{y + 15}\">{WebUtility.HtmlEncode(rows[i].Method)}</text>\n");
                if (value(rows[i]) is not { } v) continue;
                double length = scale > 0 ? Math.Abs(v) / scale * room : 0, x = v < 0 ? axis - length : axis;
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:F1}\" y=\"{y}\" width=\"{length:F1}\" height=\"{barHeight}\" fill=\"{colours[i % colours.Length]}\"/>\n");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Math.Max(x + length, axis) + 4:F1}\" y=\"{y + 15}\">{v.ToString(format, CultureInfo.InvariantCulture)}</text>\n");
            }
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{axis:F1}\" y1=\"{top - 4}\" x2=\"{axis:F1}\" y2=\"{height - 24}\" stroke=\"#333\"/>\n");
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }
}
