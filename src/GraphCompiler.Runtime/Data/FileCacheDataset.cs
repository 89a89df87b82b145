using System.Text;

namespace GraphCompiler.Runtime.Data;

/// <summary>
/// File cache; see <see cref="DatasetExtensions.Cache{T}(Dataset{T[]}, string)"/>.
/// Layout: magic <c>GCDSCACH</c> · int32 version · string element type · records (byte 1, element) ·
/// byte 0 · int64 element count. The trailer lets a reader tell a complete file from a damaged one.
/// </summary>
internal sealed class FileCacheDataset<T> : Dataset<T>
{
    private static readonly byte[] Magic = "GCDSCACH"u8.ToArray();
    private const int Version = 1;
    private const byte RecordMarker = 1;
    private const byte EndMarker = 0;

    private readonly Dataset<T> _source;
    private readonly string _path;
    private readonly ICacheCodec<T> _codec;

    public FileCacheDataset(Dataset<T> source, string filePath, ICacheCodec<T> codec)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        _source = source;
        _path = Path.GetFullPath(filePath);
        _codec = codec;
    }

    /// <summary>Where a pass writes before the rename; deterministic so that a stale one is overwritten, not accumulated.</summary>
    internal string PartialPath => _path + ".partial";

    public override IEnumerator<T> GetEnumerator() =>
        (File.Exists(_path) ? ReadFile() : WriteThrough()).GetEnumerator();

    private IEnumerable<T> ReadFile()
    {
        using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        ReadHeader(reader);
        long count = 0;
        while (true)
        {
            long offset = stream.Position;
            var (done, item) = ReadRecord(reader, offset, count);
            if (done) break;
            count++;
            yield return item;
        }
    }

    private (bool Done, T Item) ReadRecord(BinaryReader reader, long offset, long index)
    {
        try
        {
            byte marker = reader.ReadByte();
            if (marker == RecordMarker) return (false, _codec.Read(reader));
            if (marker != EndMarker) throw new InvalidDataException($"unexpected record marker {marker}");
            long expected = reader.ReadInt64();
            if (expected != index) throw new InvalidDataException($"the trailer says {expected} elements but the file holds {index}");
            return (true, default!);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw new InvalidDataException(
                $"dataset cache file '{_path}' is damaged at offset {offset} (element {index}): {e.Message}; delete it to rebuild the cache", e);
        }
    }

    private void ReadHeader(BinaryReader reader)
    {
        string elementType;
        try
        {
            Span<byte> magic = stackalloc byte[Magic.Length];
            reader.BaseStream.ReadExactly(magic);
            if (!magic.SequenceEqual(Magic)) throw new InvalidDataException("it does not start with the dataset cache magic");
            int version = reader.ReadInt32();
            if (version != Version) throw new InvalidDataException($"it has format version {version}; this runtime reads version {Version}");
            elementType = reader.ReadString();
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw new InvalidDataException($"'{_path}' is not a usable dataset cache file: {e.Message}; delete it to rebuild the cache", e);
        }
        if (elementType != _codec.ElementType)
            throw new InvalidDataException(
                $"dataset cache file '{_path}' holds {elementType} elements but this dataset caches {_codec.ElementType}; delete it or use another path");
    }

    private IEnumerable<T> WriteThrough()
    {
        var stream = TryCreatePartial();
        if (stream == null)
        {
            // Another pass (or process) is writing the cache right now; read the source without caching.
            foreach (var item in _source) yield return item;
            yield break;
        }
        bool committed = false;
        var writer = new BinaryWriter(stream, Encoding.UTF8);
        try
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(_codec.ElementType);
            long count = 0;
            foreach (var item in _source)
            {
                writer.Write(RecordMarker);
                _codec.Write(writer, item);
                count++;
                yield return item;
            }
            writer.Write(EndMarker);
            writer.Write(count);
            writer.Flush();
            stream.Flush(flushToDisk: true);
            writer.Dispose();
            File.Move(PartialPath, _path, overwrite: true);
            committed = true;
        }
        finally
        {
            writer.Dispose();
            if (!committed) TryDelete(PartialPath);
        }
    }

    private FileStream? TryCreatePartial()
    {
        var directory = Path.GetDirectoryName(_path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        try
        {
            // FileShare.None: a concurrent writer of the same cache gets an IOException and falls back to the source.
            // OpenOrCreate and truncate only once the lock is ours, so a losing writer never truncates the winner's file.
            var stream = new FileStream(PartialPath, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None, 1 << 16);
            stream.SetLength(0);
            return stream;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left behind, it is harmless: it is never read and the next writer overwrites it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
