using System.Buffers.Binary;
using System.Text;
using GraphCompiler.Runtime.Checkpoints;

namespace GraphCompiler.Runtime.Tests.Checkpoints;

/// <summary>Damaged files the reader must refuse as corrupt, naming the file, on top of <see cref="SafeTensorsFileTests"/>.</summary>
public sealed class SafeTensorsCorruptionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<byte[], string> BadHeaders() => new()
    {
        // Invalid UTF-8 inside a key: the JSON reader used to throw "Cannot transcode invalid UTF-8 JSON text" without the file.
        { Bytes("{\"a", new byte[] { 0xC3, 0x28 }, "\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}"), "not valid UTF-8 (the first bad byte is at file offset 11)" },
        { Bytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[] { 0xFF }), "not valid UTF-8" },
        { Bytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"__metadata__\":{\"k\":\"", new byte[] { 0xED, 0xA0, 0x80 }, "\"}}"), "not valid UTF-8" },
        // Escaped lone surrogates are valid UTF-8 bytes but not valid text.
        { Bytes("{\"a\\ud800\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}"), "not valid Unicode" },
        { Bytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"__metadata__\":{\"k\":\"\\udc00\"}}"), "not valid Unicode" },
        { Bytes("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]}}"), "the field \"dtype\" twice" },
        { Bytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"data_offsets\":[0,4]}}"), "the field \"data_offsets\" twice" },
        { Bytes("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}"), "metadata entry 'k' appears twice" },
        { Bytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"\\u0061\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]}}"), "names 'a' twice" },
        { Bytes("{\"\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}"), "empty name" },
        { Bytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483648],\"data_offsets\":[0,4]}}"), "shape entry 2147483648" },
        { Bytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,4]}}"), "far more elements" },
        { Bytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999]}}"), "data offset 99999999999999999999" },
        { Bytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}}"), "not valid JSON" },
        { Bytes("{\"a\":[[[[[[[[[[1]]]]]]]]]]}"), "not valid JSON" },
        { Bytes("{\"a\":{\"dtype\":7,\"shape\":[1],\"data_offsets\":[0,4]}}"), "no string \"dtype\"" },
        { Bytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[\"0\",\"4\"]}}"), "data offset \"0\"" },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void Malformed_headers_are_refused_as_corrupt_naming_the_file(byte[] header, string expected)
    {
        var path = Write(header, new byte[4]);
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Read(path));
        Assert.Equal(CheckpointErrorKind.Corrupt, e.Kind);
        Assert.Equal(path, e.FilePath);
        Assert.Contains(path, e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_header_length_that_is_negative_as_a_signed_number_is_refused()
    {
        var path = Write(Bytes("{}"), []);
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteInt64LittleEndian(bytes, -2);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Read(path));
        Assert.Equal(CheckpointErrorKind.Corrupt, e.Kind);
        Assert.Contains("header length field", e.Message);
    }

    [Fact]
    public void Huge_dimensions_beside_a_zero_dimension_make_an_empty_tensor()
    {
        var path = Write(Bytes("{\"e\":{\"dtype\":\"F64\",\"shape\":[2147483647,2147483647,2147483647,0],\"data_offsets\":[0,0]}}"), []);
        var tensor = Assert.Single(SafeTensorsFile.Read(path).Tensors);
        Assert.Empty(tensor.Data);
        Assert.Equal([2147483647, 2147483647, 2147483647, 0], tensor.Shape);
    }

    [Fact]
    public void A_header_claiming_a_huge_tensor_is_refused_without_allocating_it()
    {
        var path = Write(Bytes("{\"a\":{\"dtype\":\"F64\",\"shape\":[2147483647,2147483647],\"data_offsets\":[0,36893488130239234056]}}"), new byte[8]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<CheckpointException>(() => SafeTensorsFile.Read(path));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1 << 20);
    }

    [Fact]
    public void A_missing_file_and_a_directory_in_its_place_have_their_own_kinds()
    {
        var missing = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Read(_dir.File("absent.safetensors")));
        Assert.Equal(CheckpointErrorKind.NotFound, missing.Kind);
        var missingDirectory = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Read(_dir.File("no/such.safetensors")));
        Assert.Equal(CheckpointErrorKind.NotFound, missingDirectory.Kind);

        var directory = _dir.File("dir.safetensors");
        Directory.CreateDirectory(directory);
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Read(directory));
        Assert.Equal(CheckpointErrorKind.Unreadable, e.Kind);
        Assert.Contains(directory, e.Message);
    }

    [Fact]
    public void Reading_the_metadata_reads_the_header_only()
    {
        // A sparse 4 GiB tensor: reading it would allocate 4 GiB; the metadata alone costs next to nothing.
        var path = _dir.File("huge-1.safetensors");
        const long dataBytes = 1L << 32;
        var header = Bytes($"{{\"__metadata__\":{{\"epoch\":\"3\"}},\"t\":{{\"dtype\":\"F32\",\"shape\":[{dataBytes / 4}],\"data_offsets\":[0,{dataBytes}]}}}}");
        using (var stream = File.Create(path))
        {
            Span<byte> field = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(field, (ulong)header.Length);
            stream.Write(field);
            stream.Write(header);
            stream.SetLength(8 + header.Length + dataBytes);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        var metadata = Saver.ReadMetadata(path);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1 << 20);
        Assert.Equal("3", metadata["epoch"]);

        File.WriteAllBytes(path, [1, 2, 3]);
        var e = Assert.Throws<CheckpointException>(() => Saver.ReadMetadata(path));
        Assert.Equal(CheckpointErrorKind.Corrupt, e.Kind);
        Assert.Equal(CheckpointErrorKind.NotFound, Assert.Throws<CheckpointException>(() => Saver.ReadMetadata(_dir.File("none"))).Kind);
    }

    private static byte[] Bytes(params object[] parts) =>
        parts.SelectMany(p => p as byte[] ?? Encoding.UTF8.GetBytes((string)p)).ToArray();

    private string Write(byte[] header, byte[] data)
    {
        var path = _dir.File("damaged.safetensors");
        File.WriteAllBytes(path, SafeTensorsBytes.Assemble(header, data));
        return path;
    }
}
