using System.Buffers.Binary;
using System.Text;
using GraphCompiler.Runtime.Checkpoints;

namespace GraphCompiler.Runtime.Tests.Checkpoints;

public sealed class SafeTensorsFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<DType, int[]> DTypesAndShapes()
    {
        var data = new TheoryData<DType, int[]>();
        foreach (var dtype in new[] { DType.Float32, DType.Float64, DType.Int32, DType.Int64, DType.Bool })
        {
            data.Add(dtype, []);          // scalar
            data.Add(dtype, [0]);         // empty
            data.Add(dtype, [3, 0, 2]);   // empty in the middle
            data.Add(dtype, [7]);
            data.Add(dtype, [3, 5]);
            data.Add(dtype, [2, 3, 1, 5]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DTypesAndShapes))]
    public void Round_trip_keeps_dtype_shape_and_exact_bytes(DType dtype, int[] shape)
    {
        var tensor = MakeTensor("scope/t", dtype, shape, seed: 3);
        var neighbour = MakeTensor("other", DType.Float32, [5], seed: 4); // odd byte counts must not misalign the next
        var path = _dir.File("a.safetensors");
        SafeTensorsFile.Write(path, [tensor, neighbour], new Dictionary<string, string> { ["k"] = "v" });

        var read = SafeTensorsFile.Read(path);
        Assert.Equal(["scope/t", "other"], read.Tensors.Select(t => t.Name));
        Assert.True(read.TryGet("scope/t", out var back));
        Assert.Equal(dtype, back.DType);
        Assert.Equal(shape, back.Shape);
        Assert.Equal(tensor.Data, back.Data);
        Assert.True(read.TryGet("other", out var other));
        Assert.Equal(neighbour.Data, other.Data);
        Assert.Equal("v", read.Metadata["k"]);
    }

    [Fact]
    public void Float_bit_patterns_survive_exactly()
    {
        float[] values = [float.NaN, -0f, float.PositiveInfinity, float.Epsilon, -3.5f];
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        var path = _dir.File("f.safetensors");
        SafeTensorsFile.Write(path, [new SafeTensor("f", DType.Float32, [5], bytes)]);
        Assert.Equal(bytes, SafeTensorsFile.Read(path).Tensors[0].Data);
    }

    [Fact]
    public void Header_is_json_with_the_standard_fields_and_data_is_eight_byte_aligned()
    {
        var path = _dir.File("h.safetensors");
        SafeTensorsFile.Write(path, [MakeTensor("w", DType.Float32, [2, 3], 1), MakeTensor("b", DType.Int64, [3], 2)]);
        var bytes = File.ReadAllBytes(path);
        long n = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + n) % 8);
        var header = Encoding.UTF8.GetString(bytes, 8, (int)n);
        using var json = System.Text.Json.JsonDocument.Parse(header);
        var w = json.RootElement.GetProperty("w");
        Assert.Equal("F32", w.GetProperty("dtype").GetString());
        Assert.Equal([2, 3], w.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([0L, 24L], w.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal([24L, 48L], json.RootElement.GetProperty("b").GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(8 + n + 48, bytes.Length);
    }

    [Fact]
    public void Truncated_file_is_refused_naming_the_file()
    {
        var path = WriteSample();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("past the end", e.Message);
        Assert.Equal(path, e.FilePath);
    }

    [Fact]
    public void File_shorter_than_the_length_field_is_refused()
    {
        var path = _dir.File("short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Read(path));
        Assert.Contains("3 bytes long", e.Message);
    }

    [Fact]
    public void Header_length_beyond_the_file_is_refused_before_allocating()
    {
        var path = WriteSample();
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue - 5);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Read(path));
        Assert.Contains("header length field", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Header_length_above_the_limit_is_refused_even_when_the_file_is_that_long()
    {
        var path = _dir.File("huge.safetensors");
        using (var stream = File.Create(path))
        {
            Span<byte> field = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(field, SafeTensorsFile.MaxHeaderBytes + 1UL);
            stream.Write(field);
            stream.SetLength(SafeTensorsFile.MaxHeaderBytes + 64L); // sparse: costs no disk
        }
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Read(path));
        Assert.Contains("limit", e.Message);
    }

    [Fact]
    public void Changed_header_byte_is_refused_as_invalid_json()
    {
        var path = WriteSample();
        var bytes = File.ReadAllBytes(path);
        bytes[8] = (byte)'x'; // was the opening brace
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Read(path));
        Assert.Contains("not valid JSON", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}}""", 16, "gap of 4 bytes")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, "overlaps tensor 'a'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 12, "4 trailing bytes")]
    [InlineData("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8, "needs 12 bytes")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}""", 8, "end before they begin")]
    [InlineData("""{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", 8, "shape entry -2")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}""", 8, "shape entry 2.5")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[-1,7]}}""", 8, "data offset -1")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0]}}""", 8, "data_offsets\" pair")]
    [InlineData("""{"a":{"dtype":"BF16","shape":[4],"data_offsets":[0,8]}}""", 8, "dtype BF16, which is not supported")]
    [InlineData("""{"a":{"shape":[2],"data_offsets":[0,8]}}""", 8, "no string \"dtype\"")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[0],"data_offsets":[8,8]}}""", 8, "names 'a' twice")]
    [InlineData("""{"a":{"dtype":"F32","shape":[65536,65536,65536,65536],"data_offsets":[0,8]}}""", 8, "far more elements")]
    [InlineData("""{"__metadata__":{"x":1},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8, "metadata entry 'x'")]
    [InlineData("""[1,2]""", 0, "not an object")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"extra":1}}""", 8, "unknown field \"extra\"")]
    public void Inconsistent_headers_are_refused_with_the_problem_named(string header, int dataBytes, string expected)
    {
        var path = WriteRaw(header, new byte[dataBytes]);
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Read(path));
        Assert.Contains(expected, e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Zero_sized_tensors_may_share_an_offset()
    {
        var path = WriteRaw("""{"e1":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"e2":{"dtype":"I64","shape":[2,0],"data_offsets":[0,0]},"a":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}}""", new byte[4]);
        var read = SafeTensorsFile.Read(path);
        Assert.Equal(3, read.Tensors.Count);
        Assert.Empty(read.Tensors.Single(t => t.Name == "e2").Data);
    }

    [Fact]
    public void Boolean_bytes_other_than_zero_and_one_are_refused()
    {
        var path = WriteRaw("""{"m":{"dtype":"BOOL","shape":[3],"data_offsets":[0,3]}}""", [0, 1, 7]);
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Read(path));
        Assert.Contains("tensor 'm' is BOOL but holds the byte 7", e.Message);
    }

    [Fact]
    public void Missing_file_is_reported_as_missing()
    {
        var path = _dir.File("nope.safetensors");
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Read(path));
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void Writer_rejects_wrong_byte_counts_and_reserved_names_and_leaves_no_file()
    {
        var path = _dir.File("w.safetensors");
        Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(path, [new SafeTensorInfo("a", DType.Float32, [2])], _ => new byte[7]));
        Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(path, [new SafeTensorInfo("__metadata__", DType.Float32, [0])], _ => []));
        Assert.Throws<ArgumentException>(() => new SafeTensor("a", DType.Int32, [2], new byte[4]));
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    private string WriteSample()
    {
        var path = _dir.File("sample.safetensors");
        SafeTensorsFile.Write(path, [MakeTensor("w", DType.Float32, [4, 3], 1), MakeTensor("b", DType.Float64, [3], 2)]);
        return path;
    }

    private string WriteRaw(string header, byte[] data)
    {
        var path = _dir.File("raw.safetensors");
        File.WriteAllBytes(path, SafeTensorsBytes.Assemble(Encoding.UTF8.GetBytes(header), data));
        return path;
    }

    internal static SafeTensor MakeTensor(string name, DType dtype, int[] shape, int seed)
    {
        long count = 1;
        foreach (var d in shape) count *= d;
        var bytes = new byte[count * SafeTensorDTypes.ElementSize(dtype)];
        var random = new Random(seed);
        if (dtype == DType.Bool)
            for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)random.Next(2);
        else
            random.NextBytes(bytes);
        return new SafeTensor(name, dtype, shape, bytes);
    }
}
