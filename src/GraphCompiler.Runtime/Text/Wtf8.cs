using System.Text;

namespace GraphCompiler.Runtime.Text;

/// <summary>
/// UTF-8 as <see cref="WordTable"/> stores words: the usual encoding, except that a lone surrogate (which a .NET string
/// may hold and UTF-8 cannot) is written in the three-byte form of its code point, as WTF-8 does. Every string thus has
/// exactly one byte form and back, so a table keyed by bytes tells apart every pair of strings a
/// <c>Dictionary&lt;string, …&gt;</c> does; valid UTF-8 text (all a corpus can hold) is its own form.
/// </summary>
internal static class Wtf8
{
    /// <summary>The most bytes <paramref name="chars"/> characters take.</summary>
    public static int MaxBytes(int chars) => checked(chars * 3);

    /// <summary>Writes the byte form of <paramref name="text"/> to <paramref name="into"/> (at least <see cref="MaxBytes"/> long); returns its length.</summary>
    public static int Encode(ReadOnlySpan<char> text, Span<byte> into)
    {
        int written = 0;
        for (int i = 0; i < text.Length; i++)
        {
            int c = text[i];
            if (c < 0x80)
            {
                into[written++] = (byte)c;
                continue;
            }
            if (c < 0x800)
            {
                into[written++] = (byte)(0xC0 | (c >> 6));
                into[written++] = (byte)(0x80 | (c & 0x3F));
                continue;
            }
            if (char.IsHighSurrogate((char)c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                int rune = char.ConvertToUtf32((char)c, text[++i]);
                into[written++] = (byte)(0xF0 | (rune >> 18));
                into[written++] = (byte)(0x80 | ((rune >> 12) & 0x3F));
                into[written++] = (byte)(0x80 | ((rune >> 6) & 0x3F));
                into[written++] = (byte)(0x80 | (rune & 0x3F));
                continue;
            }
            // Any other BMP character, a lone surrogate included.
            into[written++] = (byte)(0xE0 | (c >> 12));
            into[written++] = (byte)(0x80 | ((c >> 6) & 0x3F));
            into[written++] = (byte)(0x80 | (c & 0x3F));
        }
        return written;
    }

    /// <summary>The byte form of <paramref name="text"/>.</summary>
    public static byte[] GetBytes(ReadOnlySpan<char> text)
    {
        var bytes = new byte[MaxBytes(text.Length)];
        return bytes[..Encode(text, bytes)];
    }

    /// <summary>The string whose byte form is <paramref name="bytes"/> (which <see cref="Encode"/> or valid UTF-8 gave).</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        // Never more characters than bytes.
        Span<char> chars = bytes.Length <= 256 ? stackalloc char[bytes.Length] : new char[bytes.Length];
        int written = 0;
        for (int i = 0; i < bytes.Length;)
        {
            int b = bytes[i];
            if (b < 0x80)
            {
                chars[written++] = (char)b;
                i++;
            }
            else if (b < 0xE0)
            {
                chars[written++] = (char)(((b & 0x1F) << 6) | (bytes[i + 1] & 0x3F));
                i += 2;
            }
            else if (b < 0xF0)
            {
                chars[written++] = (char)(((b & 0x0F) << 12) | ((bytes[i + 1] & 0x3F) << 6) | (bytes[i + 2] & 0x3F));
                i += 3;
            }
            else
            {
                int rune = ((b & 0x07) << 18) | ((bytes[i + 1] & 0x3F) << 12) | ((bytes[i + 2] & 0x3F) << 6) | (bytes[i + 3] & 0x3F);
                written += new Rune(rune).EncodeToUtf16(chars[written..]);
                i += 4;
            }
        }
        return new string(chars[..written]);
    }
}
