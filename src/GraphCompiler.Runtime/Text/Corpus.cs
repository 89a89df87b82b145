using System.Buffers.Binary;
using System.IO.Compression;
using GraphCompiler.Runtime.Summaries;
using System.Text;

namespace GraphCompiler.Runtime.Text;

/// <summary>
/// A text file read as a lazy stream of tokens (<see cref="Tokenizer"/>'s rule). Plain UTF-8 and
/// gzip-compressed UTF-8 are both accepted; gzip is recognised by its magic bytes, not by the
/// file name, and its trailer (CRC-32 and length) is checked at the end, so a truncated download is
/// an error rather than a silently shorter corpus (a file of several concatenated gzip members is
/// checked against its last member's trailer and is therefore refused). Each enumeration of <see cref="Tokens"/> reads the file again from the start, so a
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
    /// <exception cref="InputFileException">The file is not UTF-8 text (invalid UTF-8, or a NUL byte: a binary file) or its gzip stream is truncated or corrupt (the exception names the file and line).</exception>
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
        var (stream, trailer) = OpenStream();
        using var _ = stream;
        var buffer = new byte[1 << 16];
        int start = 0, end = 0;
        long line = 1, lineOffset = 0;
        bool atEnd = false;
        uint crc = 0;
        long length = 0;
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
                    throw new InputFileException("corpus", Path, line, $"corrupt compressed data (text byte {lineOffset + end - start}): {e.Message}", e);
                }
                if (trailer is { } expected)
                {
                    crc = Crc32Ieee.Append(crc, buffer.AsSpan(end, read));
                    length += read;
                    // GZipStream ends quietly where a truncated file ends; only the trailer tells.
                    if (read == 0 && (crc != expected.Crc || (uint)length != expected.Length))
                        throw new InputFileException("corpus", Path, line,
                            $"the gzip stream is truncated or corrupt: it ends after {length:N0} bytes of text that do not match its trailer (CRC-32 and length; 'gzip -t' checks a file)");
                }
                if (read == 0) atEnd = true;
                end += read;
                continue;
            }
            int lineLength = newline < 0 ? end - start : newline;
            if (newline < 0 && lineLength == 0) yield break;
            var bytes = buffer.AsSpan(start, lineLength);
            if (bytes.Length > 0 && bytes[^1] == (byte)'\r') bytes = bytes[..^1];
            if (bytes.IndexOf((byte)0) is >= 0 and var nul)
                throw new InputFileException("corpus", Path, line, $"byte {lineOffset + nul} is NUL: this is a binary file, not text");
            string text;
            try { text = StrictUtf8.GetString(bytes); }
            catch (DecoderFallbackException e)
            {
                long at = lineOffset + Math.Max(0, e.Index);
                throw new InputFileException("corpus", Path, line, $"byte {at} is not valid UTF-8 (the corpus must be UTF-8 text)", e);
            }
            // A byte-order mark is an encoding signature, not text.
            yield return line == 1 && text.StartsWith('\uFEFF') ? text[1..] : text;
            if (newline < 0) yield break;
            start += newline + 1;
            lineOffset += newline + 1;
            line++;
        }
    }

    // The gzip trailer is the file's last 8 bytes: CRC-32 and length (mod 2^32) of the text.
    private (Stream Stream, (uint Crc, uint Length)? Trailer) OpenStream()
    {
        var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            if (read < 2 || magic[0] != 0x1F || magic[1] != 0x8B)
            {
                file.Position = 0;
                return (file, null);
            }
            const int HeaderAndTrailer = 18;
            if (file.Length < HeaderAndTrailer)
                throw new InputFileException("corpus", Path, null, $"the gzip file is truncated: {file.Length} bytes, shorter than a gzip header and trailer");
            Span<byte> trailer = stackalloc byte[8];
            file.Position = file.Length - 8;
            file.ReadExactly(trailer);
            file.Position = 0;
            return (new GZipStream(file, CompressionMode.Decompress),
                (BinaryPrimitives.ReadUInt32LittleEndian(trailer), BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..])));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}
