namespace GraphCompiler.Runtime.Tests.Checkpoints;

/// <summary>A hand-written stand-in for a generated model: a variable set and a global step.</summary>
internal sealed class TestModel : IModel
{
    public TestVariableSet Variables { get; } = new();

    public VariableSet AllVariables => Variables;

    public long GlobalStep { get; set; }

    public ulong Seed => 1;

    public Variable<T> Add<T>(string name, params int[] shape) where T : unmanaged =>
        Variables.Register(new Variable<T>(name, shape));

    /// <summary>Fills every variable with values derived from <paramref name="salt"/> and the element index.</summary>
    public void Fill(int salt)
    {
        foreach (var variable in Variables)
        {
            switch (variable)
            {
                case Variable<float> f: for (int i = 0; i < f.Data.Length; i++) f.Data[i] = salt * 1000 + i + 0.25f; break;
                case Variable<double> d: for (int i = 0; i < d.Data.Length; i++) d.Data[i] = salt * 1e6 + i / 3.0; break;
                case Variable<int> n: for (int i = 0; i < n.Data.Length; i++) n.Data[i] = salt * 7 - i; break;
                case Variable<long> l: for (int i = 0; i < l.Data.Length; i++) l.Data[i] = ((long)salt << 40) + i; break;
                case Variable<bool> b: for (int i = 0; i < b.Data.Length; i++) b.Data[i] = (i + salt) % 3 == 0; break;
                default: throw new NotSupportedException(variable.GetType().Name);
            }
        }
    }

    /// <summary>Every variable's bytes, by name, for exact comparisons.</summary>
    public Dictionary<string, byte[]> Snapshot() => Variables.ToDictionary(v => v.Name, v => v.AsBytes().ToArray());
}

internal sealed class TestVariableSet : VariableSet
{
    public T Register<T>(T variable) where T : Variable => Add(variable);
}

/// <summary>A fresh directory under the temp folder, deleted afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gc-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
