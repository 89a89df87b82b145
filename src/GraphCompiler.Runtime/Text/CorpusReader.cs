using System.IO.Compression;
using System.Text;
using GraphCompiler.Runtime.Summaries;

namespace GraphCompiler.Runtime.Text;

/// <summary>
/// Reads the tokens of one <see cref="CorpusRange"/> of a <see cref="Corpus"/> a record at a time: a line, or a
/// piece of a line longer than 64 KiB cut after its last ASCII whitespace byte (tokens never span whitespace, so
/// the cut changes no token and memory stays bounded however long a line is). <see cref="Position"/> after a
/// record is where a new reader continues with the same tokens, which is what a resumed run records.
/// </summary>
/// <remarks>
/// A range that starts inside a file skips to the next whitespace boundary, and one that ends inside a file reads
/// on to the next whitespace boundary, so adjacent ranges meet at the same byte. A gzip file has no random access:
/// starting at an offset decompresses and discards the text before it.
/// </remarks>
public sealed class CorpusReader : IDisposable
{
    private const int MaxRecord = 1 << 16;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Corpus _corpus;
    private readonly CorpusPosition _end;
    private int _file;
    private long _startOffset;   // where reading starts in _file (unaligned)
    private Stream? _stream;
    private (uint Crc, uint Length)? _trailer;
    private uint _crc;
    private long _streamed;      // text bytes of _file read from the stream so far
    private byte[] _buffer = new byte[MaxRecord * 2];
    private int _start, _filled;
    private long _bufferOffset;  // file offset of _buffer[0]
    private bool _atEof, _done;
    private long? _line;         // 1-based line of _start, when the file was read from its start
    private long? _recordLine;   // _line of the record last returned, for its errors
    private char[] _chars = new char[MaxRecord + 1];
    private readonly TokenSpans _spans = new();   // for the reads into strings

    internal CorpusReader(Corpus corpus, CorpusRange range)
    {
        _corpus = corpus;
        _end = range.To;
        _file = range.From.File;
        _startOffset = range.From.Offset;
        Position = range.From;
    }

    /// <summary>Where the next record starts: the place to reopen a reader at for the rest of the range.</summary>
    public CorpusPosition Position { get; private set; }

    /// <summary>Text bytes read since this reader was opened, from the range's first boundary on: the bytes of ranges that meet add up to the text's length.</summary>
    public long BytesRead { get; private set; }

    /// <summary>
    /// Appends the next record's tokens to <paramref name="tokens"/> (none for an empty line); false, with nothing
    /// appended, once the range is read.
    /// </summary>
    /// <exception cref="InputFileException">The text is not UTF-8, holds a NUL byte, or its gzip stream is truncated or corrupt.</exception>
    public bool Read(List<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        _spans.Clear();
        if (!Read(_spans)) return false;
        _spans.AppendTo(tokens);
        return true;
    }

    /// <summary>
    /// Appends the next record's tokens to <paramref name="tokens"/> as spans, without a string per token (none for
    /// an empty line); false, with nothing appended, once the range is read.
    /// </summary>
    /// <exception cref="InputFileException">The text is not UTF-8, holds a NUL byte, or its gzip stream is truncated or corrupt.</exception>
    public bool Read(TokenSpans tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (!Next(out var record, out long offset)) return false;
        Decode(Checked(record, offset), offset, tokens);
        return true;
    }

    /// <summary>
    /// Appends the next record's tokens to <paramref name="tokens"/> as UTF-8 spans, tokenised from the bytes read
    /// without decoding them to characters (none for an empty line); false, with nothing appended, once the range is read.
    /// </summary>
    /// <exception cref="InputFileException">The text is not UTF-8, holds a NUL byte, or its gzip stream is truncated or corrupt.</exception>
    public bool Read(Utf8TokenSpans tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (!Next(out var record, out long offset)) return false;
        Utf8Tokenizer.Tokenize(Checked(record, offset), tokens);
        return true;
    }

    // The next record's bytes (valid until the next call) and its file offset, the position moved past it; false once the range is read.
    private bool Next(out ReadOnlySpan<byte> record, out long offset)
    {
        while (!_done)
        {
            if (_stream is null && !OpenNext()) break;
            if (NextRecord(out int length, out int consumed))
            {
                offset = _bufferOffset + _start;
                if (_file == _end.File && offset >= _end.Offset) break;
                if (_file == _end.File && offset + consumed > _end.Offset)
                {
                    // The record crosses the range's end: stop at the first whitespace boundary at or after it.
                    int from = (int)(Math.Max(offset, _end.Offset - 1) - _bufferOffset);
                    int cut = _buffer.AsSpan(from, _start + length - from).IndexOfAny(" \t\n\v\f\r"u8);
                    if (cut >= 0)
                    {
                        length = from + cut - _start;
                        consumed = length + 1;
                        _done = true;
                    }
                }
                record = _buffer.AsSpan(_start, length);
                _recordLine = _line;
                _start += consumed;
                BytesRead += consumed;
                if (_line is { } l && _buffer[_start - 1] == (byte)'\n') _line = l + 1;
                Position = new CorpusPosition(_file, _bufferOffset + _start);
                return true;
            }
            CloseFile();
            _file++;
            _startOffset = 0;
            Position = new CorpusPosition(_file, 0);
        }
        _done = true;
        CloseFile();
        record = default;
        offset = 0;
        return false;
    }

    /// <inheritdoc/>
    public void Dispose() => CloseFile();

    private string FilePath => _corpus.Files[_file];

    // Opens _file at _startOffset, skipping to the first whitespace boundary at or after it; false past the range.
    private bool OpenNext()
    {
        if (_file >= _corpus.Files.Count || _file > _end.File || (_file == _end.File && _end.Offset == 0)) return false;
        var file = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            _trailer = Corpus.GzipTrailer(file, FilePath);
            _stream = _trailer is null ? file : new GZipStream(file, CompressionMode.Decompress);
        }
        catch
        {
            file.Dispose();
            throw;
        }
        _crc = 0;
        _streamed = 0;
        _start = _filled = 0;
        _bufferOffset = 0;
        _atEof = false;
        _line = _startOffset == 0 ? 1 : null;
        if (_startOffset == 0) return true;

        // Read from the byte before the start: a boundary is a position right after whitespace.
        long before = _startOffset - 1;
        if (_trailer is null)
        {
            file.Position = Math.Min(before, file.Length);
            _bufferOffset = file.Position;
        }
        while (true)
        {
            if (_bufferOffset + _filled <= before)
            {
                // Still before the start (only gzip gets here): discard the buffer's text and read on.
                _bufferOffset += _filled;
                _filled = 0;
                if (!Fill()) return true;
                continue;
            }
            int from = (int)Math.Max(0, before - _bufferOffset);
            int space = _buffer.AsSpan(from, _filled - from).IndexOfAny(" \t\n\v\f\r"u8);
            if (space >= 0)
            {
                _start = from + space + 1;
                return true;
            }
            _bufferOffset += _filled;
            _filled = 0;
            if (!Fill()) return true;
        }
    }

    // The record at _start: its length without the terminator, and the bytes it consumes with it. False at the file's end.
    private bool NextRecord(out int length, out int consumed)
    {
        while (true)
        {
            int newline = _buffer.AsSpan(_start, _filled - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                (length, consumed) = (newline, newline + 1);
                return true;
            }
            int pending = _filled - _start;
            if (pending >= MaxRecord)
            {
                int space = _buffer.AsSpan(_start, pending).LastIndexOfAny(" \t\v\f\r"u8);
                if (space >= 0)
                {
                    (length, consumed) = (space, space + 1);
                    return true;
                }
            }
            if (_atEof)
            {
                (length, consumed) = (pending, pending);
                return pending > 0;
            }
            // Keep the partial record at the buffer's start, growing the buffer only for a run of 64 KiB without whitespace.
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
                _bufferOffset += _start;
                _filled = pending;
                _start = 0;
            }
            if (_filled == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
            Fill();
        }
    }

    // Reads more text after _filled; false (and _atEof) at the stream's end, after checking a gzip trailer.
    private bool Fill()
    {
        int read;
        try { read = _stream!.Read(_buffer, _filled, _buffer.Length - _filled); }
        catch (InvalidDataException e)
        {
            throw new InputFileException("corpus", FilePath, _line, $"corrupt compressed data (text byte {_bufferOffset + _filled}): {e.Message}", e);
        }
        if (_trailer is { } expected)
        {
            _crc = Crc32Ieee.Append(_crc, _buffer.AsSpan(_filled, read));
            _streamed += read;
            // GZipStream ends quietly where a truncated file ends; only the trailer tells.
            if (read == 0 && (_crc != expected.Crc || (uint)_streamed != expected.Length))
                throw new InputFileException("corpus", FilePath, _line,
                    $"the gzip stream is truncated or corrupt: it ends after {_streamed:N0} bytes of text that do not match its trailer (CRC-32 and length; 'gzip -t' checks a file)");
        }
        _filled += read;
        if (read == 0) _atEof = true;
        return read > 0;
    }

    // Records are split on bytes and checked one at a time, so an error can name its line and byte offset: the record
    // without its line end's '\r', once it is known to be UTF-8 text without NUL.
    private ReadOnlySpan<byte> Checked(ReadOnlySpan<byte> bytes, long offset)
    {
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r') bytes = bytes[..^1];
        if (bytes.IndexOf((byte)0) is >= 0 and var nul)
            throw new InputFileException("corpus", FilePath, _recordLine, $"byte {offset + nul} is NUL: this is a binary file, not text");
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            // The decoder names the first invalid byte.
            try { StrictUtf8.GetCharCount(bytes); }
            catch (DecoderFallbackException e)
            {
                throw new InputFileException("corpus", FilePath, _recordLine, $"byte {offset + Math.Max(0, e.Index)} is not valid UTF-8 (the corpus must be UTF-8 text)", e);
            }
        }
        return bytes;
    }

    private void Decode(ReadOnlySpan<byte> bytes, long offset, TokenSpans tokens)
    {
        if (_chars.Length < bytes.Length) _chars = new char[bytes.Length];
        var text = _chars.AsSpan(0, StrictUtf8.GetChars(bytes, _chars));
        // A byte-order mark is an encoding signature, not text.
        if (offset == 0 && text.StartsWith('\uFEFF')) text = text[1..];
        Tokenizer.Tokenize(text, tokens);
    }

    private void CloseFile()
    {
        _stream?.Dispose();
        _stream = null;
    }
}
