using System.Text;

namespace GraphCompiler.Runtime.Text;

/// <summary>
/// <see cref="Tokenizer"/>'s rule applied to UTF-8 bytes, writing the tokens as UTF-8: what a streaming pass reads is
/// tokenised where it lies, with no decoding of the text to characters and, for ASCII, no character classification
/// beyond a compare. The tokens are exactly <see cref="Tokenizer"/>'s, encoded as UTF-8.
/// </summary>
public static class Utf8Tokenizer
{
    /// <summary>Appends the tokens of <paramref name="text"/>, which must be valid UTF-8, to <paramref name="into"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="text"/> is not valid UTF-8.</exception>
    public static void Tokenize(ReadOnlySpan<byte> text, Utf8TokenSpans into)
    {
        ArgumentNullException.ThrowIfNull(into);
        // Lower-casing may lengthen a character's UTF-8 form by half at most (two bytes to three).
        var output = into.Free(text.Length + text.Length / 2 + 4);
        int written = 0, start = 0;
        for (int i = 0; i < text.Length;)
        {
            byte b = text[i];
            if (b < 0x80)
            {
                // ASCII's word characters are its letters and digits, and b | 0x20 lower-cases them all.
                if (char.IsAsciiLetterOrDigit((char)b)) output[written++] = (byte)(b | 0x20);
                else if (b == '\'' && written > start && StartsWithWordChar(text[(i + 1)..])) output[written++] = (byte)'\'';
                else if (written > start)
                {
                    into.Add(written - start);
                    start = written;
                }
                i++;
                continue;
            }
            var rune = Decode(text[i..], out int length);
            if (Tokenizer.IsWordChar(rune)) written += Rune.ToLowerInvariant(rune).EncodeToUtf8(output[written..]);
            else if (rune.Value == '\u2019' && written > start && StartsWithWordChar(text[(i + length)..])) output[written++] = (byte)'\'';
            else if (written > start)
            {
                into.Add(written - start);
                start = written;
            }
            i += length;
        }
        if (written > start) into.Add(written - start);
    }

    private static bool StartsWithWordChar(ReadOnlySpan<byte> text) =>
        text.Length > 0 && (text[0] < 0x80 ? char.IsAsciiLetterOrDigit((char)text[0]) : Tokenizer.IsWordChar(Decode(text, out _)));

    private static Rune Decode(ReadOnlySpan<byte> text, out int length) =>
        Rune.DecodeFromUtf8(text, out var rune, out length) == System.Buffers.OperationStatus.Done
            ? rune
            : throw new ArgumentException("the text is not valid UTF-8", nameof(text));
}
