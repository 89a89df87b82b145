using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using GraphCompiler.Runtime.Checkpoints;
using Xunit.Abstractions;

namespace GraphCompiler.Runtime.Tests.Checkpoints;

/// <summary>
/// Seeded fuzzing of the safetensors reader: truncations, byte flips, length-field edits, and JSON-aware header
/// edits. Every case must load exactly what the bytes say or be refused with a <see cref="CheckpointException"/>
/// naming the file; nothing else may escape, and no case may allocate much more than the file's size.
/// </summary>
public sealed class SafeTensorsFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int Cases = 3000;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>What a mutation promises: the file must load as given, must be refused, or may go either way.</summary>
    private sealed record Mutant(string What, byte[] Bytes, Expectation Expect, Func<SafeTensorsFile, bool>? Matches = null);

    private enum Expectation { Load, Refuse, Either }

    [Fact]
    public void Every_mutation_loads_what_the_bytes_say_or_is_refused_naming_the_file()
    {
        var original = OriginalFile();
        var random = new Random(20261207);
        var path = _dir.File("fuzz.safetensors");
        var outcomes = new Dictionary<string, (int Loaded, int Refused)>();

        for (int i = 0; i < Cases; i++)
        {
            var mutant = Mutate(original, random);
            File.WriteAllBytes(path, mutant.Bytes);
            var where = $"case {i} ({mutant.What})";
            long before = GC.GetAllocatedBytesForCurrentThread();
            SafeTensorsFile? loaded = null;
            try
            {
                loaded = SafeTensorsFile.Read(path);
            }
            catch (CheckpointException e)
            {
                Assert.True(e.Message.Contains(path) && e.FilePath == path, $"{where}: the error does not name the file: {e.Message}");
            }
            catch (Exception e)
            {
                Assert.Fail($"{where}: {e.GetType().Name} escaped: {e.Message}");
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < (1 << 20) + 8L * mutant.Bytes.Length, $"{where}: allocated {allocated} bytes for a {mutant.Bytes.Length}-byte file");

            if (loaded is null)
                Assert.True(mutant.Expect != Expectation.Load, $"{where}: refused, but it should load");
            else
            {
                Assert.True(mutant.Expect != Expectation.Refuse, $"{where}: loaded, but it should be refused");
                AssertConsistent(loaded, mutant.Bytes, where);
                Assert.True(mutant.Matches?.Invoke(loaded) ?? true, $"{where}: loaded something other than was written");
            }
            var kind = mutant.What.Split(':')[0];
            var (l, r) = outcomes.GetValueOrDefault(kind);
            outcomes[kind] = loaded is null ? (l, r + 1) : (l + 1, r);
        }

        output.WriteLine(string.Join("\n", outcomes.Select(o => $"{o.Key}: {o.Value.Loaded} loaded, {o.Value.Refused} refused")));
        // A reader that refused everything, or accepted everything, would fail here.
        Assert.All(outcomes, o => Assert.True(o.Value.Loaded + o.Value.Refused >= 20, $"{o.Key} ran only {o.Value.Loaded + o.Value.Refused} times"));
        Assert.True(outcomes["data flip"].Loaded >= 100, "byte flips in the data must mostly load");
        Assert.True(outcomes["json edit"].Loaded >= 50 && outcomes["json edit"].Refused >= 300, $"json edits: {outcomes["json edit"]}");
        Assert.True(outcomes["header flip"].Refused >= 100, $"header flips: {outcomes["header flip"]}");
    }

    /// <summary>
    /// What any successfully read file must satisfy, whatever the mutation: the tensors, in file order, tile the
    /// data exactly, so their bytes concatenated are the data region byte for byte.
    /// </summary>
    private static void AssertConsistent(SafeTensorsFile loaded, byte[] bytes, string where)
    {
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var data = bytes.AsSpan((int)(8 + headerLength));
        var concatenated = loaded.Tensors.SelectMany(t => t.Data).ToArray();
        Assert.True(data.SequenceEqual(concatenated), $"{where}: the tensors do not tile the data");
        Assert.Equal(loaded.Tensors.Count, loaded.Tensors.Select(t => t.Name).Distinct().Count());
        Assert.All(loaded.Tensors, t => Assert.False(string.IsNullOrEmpty(t.Name), where));
    }

    private static SafeTensor[] OriginalTensors() =>
    [
        SafeTensorsFileTests.MakeTensor("embed", DType.Float32, [5, 3], 1),
        SafeTensorsFileTests.MakeTensor("scope/bias", DType.Float64, [3], 2),
        SafeTensorsFileTests.MakeTensor("ids", DType.Int64, [2], 3),
        SafeTensorsFileTests.MakeTensor("count", DType.Int32, [], 4),
        SafeTensorsFileTests.MakeTensor("mask", DType.Bool, [5], 5),
        SafeTensorsFileTests.MakeTensor("empty", DType.Float32, [0, 4], 6),
        SafeTensorsFileTests.MakeTensor("other", DType.Int32, [3], 7),
    ];

    private static readonly Dictionary<string, string> OriginalMetadata = new() { ["epoch"] = "3", ["vocabulary"] = "ab12" };

    private byte[] OriginalFile()
    {
        var path = _dir.File("original.safetensors");
        SafeTensorsFile.Write(path, OriginalTensors(), OriginalMetadata);
        return File.ReadAllBytes(path);
    }

    private static (int HeaderLength, int DataStart) Layout(byte[] file)
    {
        int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        return (n, 8 + n);
    }

    /// <summary>True when <paramref name="loaded"/> holds exactly <paramref name="tensors"/> (by name) and <paramref name="metadata"/>.</summary>
    private static bool Holds(SafeTensorsFile loaded, IEnumerable<SafeTensor> tensors, IReadOnlyDictionary<string, string> metadata) =>
        loaded.Tensors.Count == tensors.Count()
        && tensors.All(t => loaded.TryGet(t.Name, out var back) && back.DType == t.DType && back.Shape.SequenceEqual(t.Shape) && back.Data.AsSpan().SequenceEqual(t.Data))
        && loaded.Metadata.Count == metadata.Count && metadata.All(m => loaded.Metadata.TryGetValue(m.Key, out var v) && v == m.Value);

    private static Mutant Mutate(byte[] original, Random random) => random.Next(10) switch
    {
        0 => Truncate(original, random),
        1 or 2 => FlipData(original, random),
        3 => FlipHeader(original, random),
        4 => EditLengthField(original, random),
        _ => EditJson(original, random),
    };

    private static Mutant Truncate(byte[] original, Random random)
    {
        int length = random.Next(original.Length);
        return new($"truncate: to {length} of {original.Length} bytes", original[..length], Expectation.Refuse);
    }

    private static Mutant FlipData(byte[] original, Random random)
    {
        var (_, dataStart) = Layout(original);
        var bytes = (byte[])original.Clone();
        int flips = random.Next(1, 4);
        var at = new List<int>();
        for (int k = 0; k < flips; k++)
        {
            int index = random.Next(dataStart, bytes.Length);
            bytes[index] ^= (byte)random.Next(1, 256);
            at.Add(index - dataStart);
        }
        // The data region is the tensors' bytes back to back in the order written: slice the expected values out of it.
        var expected = new List<SafeTensor>();
        int offset = dataStart;
        bool validBooleans = true;
        foreach (var t in OriginalTensors())
        {
            var data = bytes[offset..(offset + t.Data.Length)];
            offset += t.Data.Length;
            if (t.DType == DType.Bool && data.Any(b => b > 1)) validBooleans = false;
            expected.Add(new SafeTensor(t.Name, t.DType, t.Shape, data));
        }
        return new($"data flip: at data offsets {string.Join(",", at)}", bytes, validBooleans ? Expectation.Load : Expectation.Refuse,
            loaded => Holds(loaded, expected, OriginalMetadata));
    }

    private static Mutant FlipHeader(byte[] original, Random random)
    {
        var (_, dataStart) = Layout(original);
        var bytes = (byte[])original.Clone();
        int index = random.Next(8, dataStart);
        bytes[index] = random.Next(3) == 0 ? (byte)random.Next(0x80, 0x100) : (byte)random.Next(0x20, 0x7F);
        // A changed byte inside a string (a name, a dtype) or the padding may still make a valid file; the oracle checks it.
        return new($"header flip: byte {index} to 0x{bytes[index]:X2}", bytes, Expectation.Either);
    }

    private static Mutant EditLengthField(byte[] original, Random random)
    {
        var (n, _) = Layout(original);
        var bytes = (byte[])original.Clone();
        long value = random.Next(6) switch
        {
            0 => n + random.Next(-16, 17),
            1 => -random.Next(1, 1000),
            2 => long.MaxValue - random.Next(1000),
            3 => random.Next(0, 8),
            4 => SafeTensorsFile.MaxHeaderBytes + 1L,
            _ => random.NextInt64(),
        };
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        // Shrinking the header to its padding's start would still leave a valid file only by accident; either is fine.
        return new($"length field: {value} for {n}", bytes, value == n ? Expectation.Load : Expectation.Either,
            loaded => value != n || Holds(loaded, OriginalTensors(), OriginalMetadata));
    }

    private static Mutant EditJson(byte[] original, Random random)
    {
        var (n, dataStart) = Layout(original);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(original, 8, n))!.AsObject();
        var data = original[dataStart..];
        var names = OriginalTensors().Select(t => t.Name).ToArray();
        string name = names[random.Next(names.Length)];
        var entry = header[name]!.AsObject();
        string what;
        var expect = Expectation.Either;
        Func<SafeTensorsFile, bool>? matches = null;
        string? rawText = null;

        switch (random.Next(13))
        {
            case 0:
                {
                    var field = random.Next(2) == 0 ? "shape" : "data_offsets";
                    var array = entry[field]!.AsArray();
                    if (array.Count == 0) { array.Add(1); what = $"{name}.{field} gets a dimension"; break; }
                    int k = random.Next(array.Count);
                    long old = array[k]!.GetValue<long>();
                    JsonNode? value = random.Next(9) switch
                    {
                        0 => -1, 1 => 0, 2 => old + 1, 3 => old - 1, 4 => old * 2, 5 => int.MaxValue,
                        6 => long.MaxValue, 7 => 1.5, _ => JsonValue.Create(old.ToString()),
                    };
                    array[k] = value;
                    what = $"{name}.{field}[{k}] = {value?.ToJsonString()}";
                    break;
                }
            case 1:
                {
                    string[] dtypes = ["F32", "F64", "I32", "I64", "BOOL", "BF16", "F16", "U8", "", "f32", "F32 "];
                    var dtype = dtypes[random.Next(dtypes.Length)];
                    entry["dtype"] = dtype;
                    what = $"{name}.dtype = {dtype}";
                    break;
                }
            case 2:
                {
                    var shape = new JsonArray();
                    int rank = random.Next(5);
                    for (int k = 0; k < rank; k++) shape.Add(random.Next(3) == 0 ? random.Next(int.MaxValue) : random.Next(6));
                    entry["shape"] = shape;
                    what = $"{name}.shape = {shape.ToJsonString()}";
                    break;
                }
            case 3:
                {
                    string[] fields = ["dtype", "shape", "data_offsets"];
                    var field = fields[random.Next(3)];
                    if (random.Next(2) == 0) entry.Remove(field); else entry["extra"] = 1;
                    what = $"{name}: field {field} removed or an extra one added";
                    expect = Expectation.Refuse;
                    break;
                }
            case 4:
                {
                    // A fresh name for a tensor: harmless, the tensor simply has the new name.
                    header.Remove(name);
                    header["renamed/" + name] = entry;
                    what = $"{name} renamed";
                    expect = Expectation.Load;
                    matches = loaded => Holds(loaded, OriginalTensors().Select(t => t.Name == name ? new SafeTensor("renamed/" + name, t.DType, t.Shape, t.Data) : t), OriginalMetadata);
                    break;
                }
            case 5:
                {
                    // Entries in another order and different whitespace: the same file.
                    var shuffled = new JsonObject();
                    foreach (var key in header.Select(p => p.Key).OrderBy(_ => random.Next()).ToList())
                    {
                        var value = header[key]!;
                        header.Remove(key);
                        shuffled[key] = value;
                    }
                    header = shuffled;
                    rawText = header.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = random.Next(2) == 0 });
                    what = "reordered";
                    expect = Expectation.Load;
                    matches = loaded => Holds(loaded, OriginalTensors(), OriginalMetadata);
                    break;
                }
            case 6:
                {
                    var metadata = header[SafeTensorsFile.MetadataKey]!.AsObject();
                    switch (random.Next(3))
                    {
                        case 0: metadata["epoch"] = 3; expect = Expectation.Refuse; break;
                        case 1: header[SafeTensorsFile.MetadataKey] = "text"; expect = Expectation.Refuse; break;
                        default:
                            header.Remove(SafeTensorsFile.MetadataKey);
                            expect = Expectation.Load;
                            matches = loaded => Holds(loaded, OriginalTensors(), new Dictionary<string, string>());
                            break;
                    }
                    what = "metadata edited";
                    break;
                }
            case 7:
                {
                    // Same element size, same data: F32 read as I32 (or the reverse) is a different but valid file.
                    var dtype = entry["dtype"]!.GetValue<string>();
                    var swapped = dtype switch { "F32" => "I32", "I32" => "F32", "F64" => "I64", "I64" => "F64", _ => dtype };
                    entry["dtype"] = swapped;
                    what = $"{name}.dtype {dtype} -> {swapped}";
                    expect = Expectation.Load;
                    matches = loaded => loaded.TryGet(name, out var t) && SafeTensorDTypes.Name(t.DType) == swapped;
                    break;
                }
            case 8:
                {
                    // Two tensors trade places in the data: valid when their sizes agree (each then reads the other's bytes).
                    var others = names.Where(o => o != name).ToArray();
                    var other = others[random.Next(others.Length)];
                    var a = entry["data_offsets"]!.DeepClone();
                    entry["data_offsets"] = header[other]!["data_offsets"]!.DeepClone();
                    header[other]!["data_offsets"] = a;
                    what = $"{name} and {other} swap offsets";
                    break;
                }
            default:
                {
                    // Textual damage the JSON model cannot express: garbage, invalid UTF-8, escapes, duplicate keys.
                    var text = header.ToJsonString();
                    string[] garbage = ["\u0000", "\\ud800", "\\", "\"", "}", ",", "{\"a\":1}", "\u00e9", "1e400", "[]"];
                    int at = random.Next(text.Length + 1);
                    switch (random.Next(4))
                    {
                        case 0:
                            rawText = text[..at] + garbage[random.Next(garbage.Length)] + text[at..];
                            what = $"text inserted at {at}";
                            break;
                        case 1:
                            {
                                var bytes = Encoding.UTF8.GetBytes(text);
                                byte[][] invalid = [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80]];
                                int byteAt = random.Next(bytes.Length + 1);
                                var pick = invalid[random.Next(invalid.Length)];
                                return Assemble($"json edit: invalid UTF-8 at {byteAt}", [.. bytes[..byteAt], .. pick, .. bytes[byteAt..]], data, Expectation.Refuse, null);
                            }
                        case 2:
                            rawText = text[..^1] + $",\"{name}\":{entry.ToJsonString()}}}";
                            what = $"{name} duplicated";
                            expect = Expectation.Refuse;
                            break;
                        default:
                            rawText = text.Replace($"\"{name}\"", "\"\\u" + ((int)name[0]).ToString("x4") + name[1..] + "\"");
                            what = $"{name} spelled with an escape";
                            expect = Expectation.Load;
                            matches = loaded => Holds(loaded, OriginalTensors(), OriginalMetadata);
                            break;
                    }
                    break;
                }
        }
        return Assemble("json edit: " + what, Encoding.UTF8.GetBytes(rawText ?? header.ToJsonString()), data, expect, matches);
    }

    private static Mutant Assemble(string what, byte[] header, byte[] data, Expectation expect, Func<SafeTensorsFile, bool>? matches) =>
        new(what, SafeTensorsBytes.Assemble(header, data), expect, matches);
}
