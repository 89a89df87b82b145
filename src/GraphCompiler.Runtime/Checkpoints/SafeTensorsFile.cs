using System.Buffers.Binary;

namespace GraphCompiler.Runtime.Checkpoints;

/// <summary>
/// A safetensors file: an 8-byte little-endian header length N, N bytes of UTF-8 JSON naming each
/// tensor's dtype, shape and data offsets (plus optional string metadata), then the raw data.
/// The reader checks everything it is told before it allocates or trusts any of it.
/// </summary>
public sealed class SafeTensorsFile
{
    /// <summary>The largest header accepted; a bigger length field means a corrupt or hostile file.</summary>
    public const int MaxHeaderBytes = 100 * 1024 * 1024;

    /// <summary>The reserved header key of the string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    private readonly Dictionary<string, SafeTensor> _byName;

    private SafeTensorsFile(string path, IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        Tensors = tensors;
        Metadata = metadata;
        _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The file this was read from.</summary>
    public string Path { get; }

    /// <summary>The tensors in the order of their data in the file.</summary>
    public IReadOnlyList<SafeTensor> Tensors { get; }

    /// <summary>The <c>__metadata__</c> entries (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensor with this name, if the file has one.</summary>
    public bool TryGet(string name, out SafeTensor tensor) => _byName.TryGetValue(name, out tensor!);

    /// <summary>Whether the file holds a tensor of this name.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>
    /// Reads and fully validates <paramref name="path"/>. Throws <see cref="CheckpointException"/> naming the
    /// file and the problem for a missing, truncated or corrupt file or an unsupported dtype.
    /// </summary>
    public static SafeTensorsFile Read(string path) => Open(path, (stream, header) =>
    {
        var tensors = new List<SafeTensor>(header.Tensors.Count);
        foreach (var (info, begin) in header.Tensors)
        {
            // Validated against the file's length, so this allocation is no bigger than the file.
            long length = info.ByteLength;
            if (length > Array.MaxLength)
                throw Corrupt(path, $"tensor '{info.Name}' has {length} bytes, more than one array can hold");
            var data = new byte[length];
            stream.Position = header.DataStart + begin;
            try
            {
                stream.ReadExactly(data);
            }
            catch (EndOfStreamException e)
            {
                // The length was checked above, so only a file changed while we read it lands here.
                throw new CheckpointException(CheckpointErrorKind.Corrupt, $"safetensors file '{path}': the data of tensor '{info.Name}' ends early at file offset {header.DataStart + begin} (was the file changed while it was read?)", path, e);
            }
            if (info.DType == DType.Bool)
                CheckBooleans(data, info.Name, header.DataStart + begin, path);
            tensors.Add(new SafeTensor(info.Name, info.DType, info.Shape, data));
        }
        return new SafeTensorsFile(path, tensors, header.Metadata);
    });

    /// <summary>
    /// Reads and validates only the header of <paramref name="path"/> (names, dtypes, shapes, offsets checked
    /// against the file's length, and the metadata), without reading any tensor data.
    /// </summary>
    internal static (IReadOnlyList<SafeTensorInfo> Tensors, IReadOnlyDictionary<string, string> Metadata) ReadHeader(string path) =>
        Open(path, (_, header) => ((IReadOnlyList<SafeTensorInfo>)header.Tensors.Select(t => t.Info).ToList(), header.Metadata));

    private sealed record Header(List<(SafeTensorInfo Info, long Begin)> Tensors, IReadOnlyDictionary<string, string> Metadata, long DataStart);

    /// <summary>Opens <paramref name="path"/>, validates its header and hands both to <paramref name="read"/>; file-system failures become <see cref="CheckpointException"/>s.</summary>
    private static T Open<T>(string path, Func<FileStream, Header, T> read)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return read(stream, ReadHeader(stream, path));
        }
        catch (FileNotFoundException e)
        {
            throw new CheckpointException(CheckpointErrorKind.NotFound, $"safetensors file '{path}' does not exist", path, e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new CheckpointException(CheckpointErrorKind.NotFound, $"safetensors file '{path}' does not exist (no such directory)", path, e);
        }
        catch (IOException e)
        {
            throw new CheckpointException(CheckpointErrorKind.Unreadable, $"safetensors file '{path}' could not be read: {e.Message}", path, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CheckpointException(CheckpointErrorKind.Unreadable, $"safetensors file '{path}' could not be read: {e.Message}", path, e);
        }
    }

    private static Header ReadHeader(FileStream stream, string path)
    {
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw Corrupt(path, $"the file is {fileLength} bytes long, shorter than the 8-byte header length field (truncated?)");

        Span<byte> lengthField = stackalloc byte[8];
        stream.ReadExactly(lengthField);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthField);
        if (headerLength > (ulong)(fileLength - 8))
            throw Corrupt(path, $"the header length field says {headerLength} bytes but only {fileLength - 8} bytes follow it (truncated or corrupt)");
        if (headerLength > MaxHeaderBytes)
            throw Corrupt(path, $"the header length field says {headerLength} bytes, more than the {MaxHeaderBytes}-byte limit");
        if (headerLength < 2)
            throw Corrupt(path, $"the header is {headerLength} bytes long, too short to be a JSON object");

        var header = new byte[(int)headerLength];
        stream.ReadExactly(header);
        long dataStart = 8 + (long)headerLength;
        var (tensors, metadata) = SafeTensorsHeader.Parse(header, fileLength - dataStart, path);
        return new Header(tensors, metadata, dataStart);
    }

    private static void CheckBooleans(byte[] data, string name, long fileOffset, string path)
    {
        int bad = data.AsSpan().IndexOfAnyExcept((byte)0, (byte)1);
        if (bad >= 0)
            throw Corrupt(path, $"tensor '{name}' is BOOL but holds the byte {data[bad]} at file offset {fileOffset + bad} (only 0 and 1 are booleans)");
    }

    internal static CheckpointException Corrupt(string path, string problem) =>
        new(CheckpointErrorKind.Corrupt, $"safetensors file '{path}' is corrupt: {problem}", path);

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/> atomically (temporary file, flush, rename).</summary>
    public static void Write(string path, IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        Write(path, tensors.Select(t => new SafeTensorInfo(t.Name, t.DType, t.Shape)).ToArray(), i => tensors[i].Data, metadata);

    /// <summary>
    /// Writes the tensors described by <paramref name="infos"/>, taking each one's bytes from
    /// <paramref name="bytesOf"/>, to <paramref name="path"/>: into a temporary file in the same directory,
    /// flushed to disk and then renamed over the target, so a crash leaves either the old file or the new one.
    /// </summary>
    public static void Write(string path, IReadOnlyList<SafeTensorInfo> infos, TensorBytesProvider bytesOf, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = SafeTensorsHeader.Build(infos, metadata);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> lengthField = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(lengthField, (ulong)header.Length);
            stream.Write(lengthField);
            stream.Write(header);
            for (int i = 0; i < infos.Count; i++)
            {
                var bytes = bytesOf(i);
                if (bytes.Length != infos[i].ByteLength)
                    throw new ArgumentException($"tensor '{infos[i].Name}' ({SafeTensorDTypes.Name(infos[i].DType)} {SafeTensor.ShapeText(infos[i].Shape)}) needs {infos[i].ByteLength} bytes; the provider gave {bytes.Length}", nameof(bytesOf));
                stream.Write(bytes);
            }
        });
    }
}
