using System.IO.Compression;
using System.Text;

namespace GraphCompiler.Runtime.Text;

/// <summary>
/// A text file read as a lazy stream of tokens (<see cref="Tokenizer"/>'s rule). Plain UTF-8 and
/// gzip-compressed UTF-8 are both accepted; gzip is recognised by its magic bytes, not by the
/// file name. Each enumeration of <see cref="Tokens"/> reads the file again from the start, so a
/// corpus larger than memory can be streamed for every epoch.
/// </summary>
public sealed class Corpus
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private Corpus(string path) => Path = path;

    /// <summary>The file this corpus reads.</summary>
    public string Path { get; }

    /// <summary>Opens a corpus file; fails at once if it does not exist.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static Corpus Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"corpus file '{path}' does not exist", path);
        return new Corpus(System.IO.Path.GetFullPath(path));
    }

    /// <summary>All tokens of the file in order, read lazily.</summary>
    /// <exception cref="InvalidDataException">The file is not valid UTF-8 or its gzip stream is corrupt (the message names the file, line and byte offset).</exception>
    public IEnumerable<string> Tokens()
    {
        var tokens = new List<string>();
        foreach (var line in Lines())
        {
            tokens.Clear();
            Tokenizer.Tokenize(line, tokens);
            foreach (var token in tokens) yield return token;
        }
    }

    /// <summary>Tokens of an in-memory text by the same rule (for tests and small inputs).</summary>
    public static IEnumerable<string> TokensOf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text);
        var line = new List<string>();
        while (reader.ReadLine() is { } current)
        {
            line.Clear();
            Tokenizer.Tokenize(current, line);
            foreach (var token in line) yield return token;
        }
    }

    // Lines are split on bytes and decoded one at a time, so a decoding error can name its line
    // and offset; a StreamReader decodes whole buffers ahead and cannot. Offsets count bytes of
    // the decompressed text.
    private IEnumerable<string> Lines()
    {
        using var stream = OpenStream();
        var buffer = new byte[1 << 16];
        int start = 0, end = 0;
        long line = 1, lineOffset = 0;
        bool atEnd = false;
        while (true)
        {
            int newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline < 0 && !atEnd)
            {
                // Keep the partial line, growing the buffer when it fills it.
                if (start > 0) { Buffer.BlockCopy(buffer, start, buffer, 0, end - start); end -= start; start = 0; }
                if (end == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                int read;
                try { read = stream.Read(buffer, end, buffer.Length - end); }
                catch (InvalidDataException e)
                {
                    throw new InvalidDataException($"corpus file '{Path}': corrupt compressed data near line {line} (text byte {lineOffset + end - start}): {e.Message}", e);
                }
                if (read == 0) atEnd = true;
                end += read;
                continue;
            }
            int length = newline < 0 ? end - start : newline;
            if (newline < 0 && length == 0) yield break;
            var bytes = buffer.AsSpan(start, length);
            if (bytes.Length > 0 && bytes[^1] == (byte)'\r') bytes = bytes[..^1];
            string text;
            try { text = StrictUtf8.GetString(bytes); }
            catch (DecoderFallbackException e)
            {
                long at = lineOffset + Math.Max(0, e.Index);
                throw new InvalidDataException($"corpus file '{Path}': line {line} (byte {at}) is not valid UTF-8", e);
            }
            // A byte-order mark is an encoding signature, not text.
            yield return line == 1 && text.StartsWith('\uFEFF') ? text[1..] : text;
            if (newline < 0) yield break;
            start += newline + 1;
            lineOffset += newline + 1;
            line++;
        }
    }

    private Stream OpenStream()
    {
        var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            file.Position = 0;
            return read == 2 && magic[0] == 0x1F && magic[1] == 0x8B
                ? new GZipStream(file, CompressionMode.Decompress)
                : file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}
