using System.Runtime.InteropServices;
using GraphCompiler.Runtime.Checkpoints;

namespace GraphCompiler.Runtime.Tests.Checkpoints;

public sealed class NonFiniteValuesTests
{
    public static TheoryData<int, int> LengthsAndPositions()
    {
        // Positions in the first vector, in a later one, in the last full one and in the scalar tail, for lengths
        // around every vector width (4 to 16 floats).
        var data = new TheoryData<int, int>();
        foreach (int length in new[] { 1, 3, 4, 7, 8, 15, 16, 17, 33, 67 })
            foreach (int position in new[] { 0, 1, length / 2, length - 2, length - 1 }.Where(p => p >= 0 && p < length).Distinct())
                data.Add(length, position);
        return data;
    }

    [Theory]
    [MemberData(nameof(LengthsAndPositions))]
    public void Finds_a_single_nan_or_infinity_wherever_it_lies(int length, int position)
    {
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, BitConverter.Int32BitsToSingle(-1) })
        {
            var values = Enumerable.Range(0, length).Select(i => i * 1.5f - 3).ToArray();
            values[position] = bad;
            var found = NonFiniteValues.Find(MemoryMarshal.AsBytes(values.AsSpan()), DType.Float32);
            Assert.NotNull(found);
            Assert.Equal(1, found.Value.Count);
            Assert.Equal(position, found.Value.FirstIndex);
            Assert.Equal(bad, (float)found.Value.FirstValue);
        }
    }

    [Theory]
    [MemberData(nameof(LengthsAndPositions))]
    public void Finds_non_finite_doubles_wherever_they_lie(int length, int position)
    {
        var values = Enumerable.Range(0, length).Select(i => i * 1e300).ToArray();
        values[position] = double.NegativeInfinity;
        values[^1] = double.NaN;
        var found = NonFiniteValues.Find(MemoryMarshal.AsBytes(values.AsSpan()), DType.Float64);
        Assert.NotNull(found);
        Assert.Equal(position == length - 1 ? 1 : 2, found.Value.Count);
        Assert.Equal(position, found.Value.FirstIndex);
    }

    [Fact]
    public void Extreme_finite_values_pass()
    {
        float[] floats = [float.MaxValue, float.MinValue, float.Epsilon, -float.Epsilon, 0f, -0f, 1e-40f, 3.4e38f];
        double[] doubles = [double.MaxValue, double.MinValue, double.Epsilon, -0.0, 1e-310];
        Assert.Null(NonFiniteValues.Find(MemoryMarshal.AsBytes(Enumerable.Repeat(floats, 9).SelectMany(f => f).ToArray().AsSpan()), DType.Float32));
        Assert.Null(NonFiniteValues.Find(MemoryMarshal.AsBytes(Enumerable.Repeat(doubles, 9).SelectMany(d => d).ToArray().AsSpan()), DType.Float64));
        Assert.Null(NonFiniteValues.Find([], DType.Float32));
    }

    [Fact]
    public void Integer_and_boolean_bytes_are_never_non_finite()
    {
        var allOnes = Enumerable.Repeat((byte)0xFF, 64).ToArray();
        Assert.Null(NonFiniteValues.Find(allOnes, DType.Int32));
        Assert.Null(NonFiniteValues.Find(allOnes, DType.Int64));
        Assert.NotNull(NonFiniteValues.Find(allOnes, DType.Float32));
    }

    [Fact]
    public void Counts_every_non_finite_value_of_an_embedding_sized_table_and_describes_the_first()
    {
        var table = new float[12288 * 128];
        for (int i = 0; i < table.Length; i++) table[i] = MathF.Sin(i);
        table[700_001] = float.PositiveInfinity;
        table[900_000] = float.NaN;
        table[^1] = float.NaN;
        var found = NonFiniteValues.Find(MemoryMarshal.AsBytes(table.AsSpan()), DType.Float32)!.Value;
        Assert.Equal(new NonFiniteValues(3, 700_001, double.PositiveInfinity), found);
        Assert.Equal("3 non-finite values (the first, +Inf, at index 700001)", found.Describe());
    }
}
