using GraphCompiler.Runtime.Data;

namespace GraphCompiler.Runtime.Tests.Data;

/// <summary>A source that counts what the pipeline pulls from it and whether its passes were disposed.</summary>
internal sealed class CountingSource
{
    private int _pulled;
    private int _disposedPasses;
    private int _startedPasses;

    public int Pulled => Volatile.Read(ref _pulled);

    public int StartedPasses => Volatile.Read(ref _startedPasses);

    public int DisposedPasses => Volatile.Read(ref _disposedPasses);

    /// <summary>0, 1, 2, ... (forever when <paramref name="count"/> is null).</summary>
    public Dataset<int> Integers(int? count = null) => Dataset.FromEnumerable(() => Generate(count));

    private IEnumerable<int> Generate(int? count)
    {
        Interlocked.Increment(ref _startedPasses);
        try
        {
            for (int i = 0; count == null || i < count; i++)
            {
                Interlocked.Increment(ref _pulled);
                yield return i;
            }
        }
        finally
        {
            Interlocked.Increment(ref _disposedPasses);
        }
    }
}

/// <summary>A fresh directory under the system temp folder, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gc-data-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
