using System.Globalization;
using System.Text;

namespace GraphCompiler.Runtime.Tests.Text;

/// <summary>
/// <see cref="GraphCompiler.Runtime.Text.Tokenizer"/>'s rule as it was first written (a string per token, a
/// Unicode category for every character), kept as the reference its span-based implementation must match.
/// </summary>
internal static class ReferenceTokenizer
{
    public static List<string> Tokenize(string text)
    {
        var into = new List<string>();
        var token = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (IsWordChar(text, i))
            {
                token.Append(char.ToLowerInvariant(c));
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    token.Append(text[++i]);
            }
            else if ((c == '\'' || c == '\u2019') && token.Length > 0 && i + 1 < text.Length && IsWordChar(text, i + 1))
            {
                token.Append('\'');
            }
            else if (token.Length > 0)
            {
                into.Add(LowerSurrogates(token));
                token.Clear();
            }
        }
        if (token.Length > 0) into.Add(LowerSurrogates(token));
        return into;
    }

    private static bool IsWordChar(string text, int index)
    {
        var category = char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1])
            ? CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(text[index], text[index + 1]))
            : CharUnicodeInfo.GetUnicodeCategory(text[index]);
        return category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark or UnicodeCategory.DecimalDigitNumber;
    }

    private static string LowerSurrogates(StringBuilder token)
    {
        var text = token.ToString();
        return text.Any(char.IsSurrogate) ? text.ToLowerInvariant() : text;
    }
}
