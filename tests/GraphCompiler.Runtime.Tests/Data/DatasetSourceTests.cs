using System.Text;
using GraphCompiler.Runtime.Data;

namespace GraphCompiler.Runtime.Tests.Data;

public class DatasetSourceTests
{
    [Fact]
    public void FromArray_YieldsItemsInOrder_EveryPass()
    {
        var ds = Dataset.FromArray(new[] { "a", "b", "c" });
        Assert.Equal(["a", "b", "c"], ds.ToArray());
        Assert.Equal(["a", "b", "c"], ds.ToArray());
    }

    [Fact]
    public void FromTensorSlices_SlicesAlongAxisZero()
    {
        var data = Enumerable.Range(0, 12).Select(i => (float)i).ToArray();
        var rows = Dataset.FromTensorSlices(data, [3, 2, 2]).ToArray();
        Assert.Equal(3, rows.Length);
        Assert.Equal([0f, 1, 2, 3], rows[0]);
        Assert.Equal([4f, 5, 6, 7], rows[1]);
        Assert.Equal([8f, 9, 10, 11], rows[2]);
    }

    [Fact]
    public void FromTensorSlices_RowsAreCopiesTheConsumerMayKeep()
    {
        var data = new[] { 1f, 2f, 3f, 4f };
        var rows = Dataset.FromTensorSlices(data, [2, 2]).ToArray();
        rows[0][0] = 99f;
        Assert.Equal(1f, data[0]);
        Assert.Equal([[1f], [2f]], Dataset.FromTensorSlices(new[] { 1f, 2f }, [2]).ToArray());
    }

    [Fact]
    public void FromTensorSlices_ShapeMismatch_NamesBothSizes()
    {
        var e = Assert.Throws<ArgumentException>(() => Dataset.FromTensorSlices(new float[5], [2, 3]));
        Assert.Contains("[2, 3] holds 6 values but the data has 5", e.Message);
        Assert.Throws<ArgumentException>(() => Dataset.FromTensorSlices(new float[1], []));
        Assert.Contains("negative", Assert.Throws<ArgumentException>(() => Dataset.FromTensorSlices(new float[0], [-1, 0])).Message);
    }

    [Fact]
    public void FromEnumerable_CallsTheFactoryOncePerPass()
    {
        int calls = 0;
        var ds = Dataset.FromEnumerable(() =>
        {
            calls++;
            return new[] { calls };
        });
        Assert.Equal(0, calls);
        Assert.Equal([1], ds.ToArray());
        Assert.Equal([2], ds.ToArray());
    }

    [Fact]
    public void FromTextLines_StreamsUtf8LinesWithoutTerminatorsOrBom()
    {
        using var dir = new TempDirectory();
        var path = dir.File("lines.txt");
        File.WriteAllText(path, "héllo\r\nwörld\n\nlast", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        var ds = Dataset.FromTextLines(path);
        Assert.Equal(["héllo", "wörld", "", "last"], ds.ToArray());

        // Streaming: the file is opened per pass, so a change between passes is seen.
        File.WriteAllText(path, "again\n");
        Assert.Equal(["again"], ds.ToArray());
    }

    [Fact]
    public void FromTextLines_MissingFile_FailsWhenThePassStarts_NamingThePath()
    {
        using var dir = new TempDirectory();
        var path = dir.File("absent.txt");
        var ds = Dataset.FromTextLines(path);
        var e = Assert.Throws<FileNotFoundException>(() => ds.First());
        Assert.Contains("absent.txt", e.Message);
    }

    [Fact]
    public void Zip_PairsElementsAndStopsAtTheShorter()
    {
        var zipped = Dataset.Zip(Dataset.FromArray(new[] { 1, 2, 3 }), Dataset.FromArray(new[] { "x", "y" })).ToArray();
        Assert.Equal([(1, "x"), (2, "y")], zipped);
    }
}
