using System.Globalization;
using System.Runtime.InteropServices;

namespace GraphCompiler.Runtime.Checkpoints;

/// <summary>
/// Saves and restores model variables as checkpoints (<c>tf.train.Saver</c>). Each save writes one
/// safetensors file <c>&lt;prefix&gt;-&lt;step&gt;.safetensors</c> atomically, then the directory's
/// <c>checkpoint</c> state file naming the latest and the kept checkpoints, then deletes the oldest
/// beyond <see cref="SaverOptions.MaxToKeep"/>. A crash at any moment leaves the latest checkpoint loadable.
/// Restoring validates the whole file against the model before writing any variable.
/// </summary>
public sealed partial class Saver
{
    /// <summary>The tensor that holds <see cref="IModel.GlobalStep"/> unless the model has a variable of that name.</summary>
    public const string GlobalStepTensorName = "global_step";

    /// <summary>The extension of checkpoint data files; checkpoint paths (prefix form) omit it.</summary>
    public const string FileExtension = ".safetensors";

    /// <summary>The checkpoint format version written to <c>__metadata__</c>.</summary>
    public const string FormatVersion = "1";

    /// <summary>Creates a saver; null options mean every variable, keeping the 5 most recent checkpoints.</summary>
    public Saver(SaverOptions? options = null)
    {
        Options = options ?? new SaverOptions();
        if (Options.MaxToKeep < 0)
            throw new ArgumentOutOfRangeException(nameof(options), Options.MaxToKeep, "MaxToKeep must be 0 (keep all) or positive");
        if (Options.VariableNames is not null && Options.NameMap is not null)
            throw new ArgumentException("give either VariableNames or NameMap, not both", nameof(options));
    }

    /// <summary>What this saver saves and restores, and how many checkpoints it keeps.</summary>
    public SaverOptions Options { get; }

    /// <summary>
    /// Saves the variables of <paramref name="model"/> to <c>&lt;prefix&gt;-&lt;globalStep&gt;.safetensors</c>
    /// (<c>&lt;prefix&gt;.safetensors</c> without a step), records it in the directory's state file and deletes
    /// checkpoints beyond <see cref="SaverOptions.MaxToKeep"/>. Returns the checkpoint path in prefix form,
    /// e.g. <c>checkpoints/skip-gram-1000</c>, which <see cref="Restore"/> accepts.
    /// <paramref name="metadata"/> is stored in the file's <c>__metadata__</c> beside the saver's own keys
    /// (what a training program needs to resume exactly: data position, schedule progress, settings);
    /// <see cref="ReadMetadata"/> reads it back.
    /// A variable holding NaN or infinity (training diverged) is refused before anything is written: no file,
    /// no state change, nothing deleted; the <see cref="CheckpointException"/> has kind
    /// <see cref="CheckpointErrorKind.NonFinite"/> and names the variable and the last good checkpoint.
    /// A damaged state file, or a file system that refuses the write, is a <see cref="CheckpointException"/> too.
    /// </summary>
    public string Save(IModel model, string prefix, long? globalStep = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var checkpointPath = globalStep is { } step ? prefix + "-" + step.ToString(CultureInfo.InvariantCulture) : prefix;
        var directory = Path.GetDirectoryName(Path.GetFullPath(checkpointPath))!;
        var name = Path.GetFileName(checkpointPath);
        if (name.Length == 0) throw new ArgumentException($"checkpoint prefix '{prefix}' names a directory, not a file prefix", nameof(prefix));

        // A model on a device holds its current values there; the file is written from host bytes.
        (model as Devices.IDeviceResident)?.DeviceProgram?.CopyVariablesToHost();
        var bindings = CheckpointBinding.Resolve(model, Options);
        RefuseNonFiniteVariables(bindings, checkpointPath);
        var infos = bindings.Select(b => new SafeTensorInfo(b.TensorName, b.Variable.DType, b.Variable.Shape)).ToList();
        var fileMetadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            if (ReservedMetadataKeys.Contains(key))
                throw new ArgumentException($"metadata key '{key}' is written by the saver itself", nameof(metadata));
            fileMetadata[key] = value;
        }
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["format"] = "GraphCompiler checkpoint",
            ["format_version"] = FormatVersion,
            ["created_utc"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
        })
            fileMetadata[key] = value;
        if (HyperparameterText(model) is { } hypers) fileMetadata[HyperparametersKey] = hypers;
        var stepBytes = BitConverter.GetBytes(model.GlobalStep);
        if (StoresGlobalStep(model))
        {
            infos.Add(new SafeTensorInfo(GlobalStepTensorName, DType.Int64, []));
            fileMetadata["global_step"] = model.GlobalStep.ToString(CultureInfo.InvariantCulture);
        }

        // A damaged state file is refused here, before a data file exists that no state would list.
        var previous = CheckpointState.Read(directory);
        try
        {
            SafeTensorsFile.Write(DataFilePath(checkpointPath), infos,
                i => i < bindings.Count ? bindings[i].Variable.AsBytes() : stepBytes,
                fileMetadata);
            UpdateState(directory, name, previous);
            DeleteAbandonedTemporaryFiles(directory, Path.GetFileName(prefix));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(CheckpointErrorKind.Unwritable,
                $"checkpoint '{checkpointPath}' could not be written: {e.Message}", DataFilePath(checkpointPath), e);
        }
        return checkpointPath;
    }

    /// <summary>
    /// Restores <paramref name="model"/> from a checkpoint (prefix form or the <c>.safetensors</c> file).
    /// Every tensor is checked first — missing, extra, wrong shape, wrong dtype — and all problems are
    /// reported together in one <see cref="CheckpointException"/>; no variable changes unless all pass.
    /// A floating-point tensor holding NaN or infinity is refused too (kind <see cref="CheckpointErrorKind.NonFinite"/>,
    /// naming the tensor and the newest good checkpoint of the same directory).
    /// </summary>
    public void Restore(IModel model, string checkpointPath)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(checkpointPath);
        var file = DataFilePath(checkpointPath);
        if (!File.Exists(file))
            throw NotFound(checkpointPath, file);

        var checkpoint = SafeTensorsFile.Read(file);
        var bindings = CheckpointBinding.Resolve(model, Options);
        var problems = new List<string>();
        var ours = HyperparameterText(model);
        if (checkpoint.Metadata.TryGetValue(HyperparametersKey, out var theirs) && ours is not null && theirs != ours)
            problems.Add($"the checkpoint was saved from a model built with hyperparameters {theirs}; this model has {ours}");
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var binding in bindings)
        {
            used.Add(binding.TensorName);
            CheckBinding(binding, checkpoint, problems);
        }

        SafeTensor? stepTensor = null;
        if (StoresGlobalStep(model))
        {
            used.Add(GlobalStepTensorName);
            if (!checkpoint.TryGet(GlobalStepTensorName, out stepTensor))
                problems.Add($"tensor '{GlobalStepTensorName}' (the model's global step, I64 []) is missing from the checkpoint");
            else if (stepTensor.DType != DType.Int64 || stepTensor.Shape.Count != 0)
                problems.Add($"tensor '{GlobalStepTensorName}' (the model's global step) is {Describe(stepTensor)} in the checkpoint; expected I64 []");
        }

        if (Options.CoversWholeModel)
        {
            foreach (var tensor in checkpoint.Tensors)
                if (!used.Contains(tensor.Name))
                    problems.Add($"the checkpoint has tensor '{tensor.Name}' ({Describe(tensor)}), which is not a variable of the model");
        }

        CheckThenCopy(model, checkpointPath, checkpoint, bindings, stepTensor, problems);
    }

    /// <summary>
    /// Throws for the <paramref name="problems"/> found, or for non-finite tensors; otherwise copies every
    /// binding's tensor into its variable, and the step tensor into the global step. All or nothing.
    /// </summary>
    private static void CheckThenCopy(IModel model, string checkpointPath, SafeTensorsFile checkpoint, List<CheckpointBinding> bindings, SafeTensor? stepTensor, List<string> problems)
    {
        ThrowIfMismatched(checkpoint.Path, problems);
        RefuseNonFiniteTensors(bindings, checkpoint, checkpointPath);
        foreach (var binding in bindings)
        {
            checkpoint.TryGet(binding.TensorName, out var tensor);
            tensor.Data.CopyTo(binding.Variable.AsBytes());
        }
        if (stepTensor is not null)
            model.GlobalStep = MemoryMarshal.Read<long>(stepTensor.Data);
        (model as Devices.IDeviceResident)?.DeviceProgram?.CopyVariablesToDevice();
    }

    /// <summary>
    /// The <c>__metadata__</c> of a checkpoint (prefix form or the <c>.safetensors</c> file): the keys given to
    /// <see cref="Save"/> and the saver's own (<c>format</c>, <c>format_version</c>, <c>created_utc</c>,
    /// <c>global_step</c>). Only the header is read (and validated against the file's length), not the tensors.
    /// A missing or corrupt file is a <see cref="CheckpointException"/> naming it.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string checkpointPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointPath);
        var file = DataFilePath(checkpointPath);
        if (!File.Exists(file))
            throw NotFound(checkpointPath, file);
        return SafeTensorsFile.ReadHeader(file).Metadata;
    }

    private static CheckpointException NotFound(string checkpointPath, string file) =>
        new(CheckpointErrorKind.NotFound, $"checkpoint '{checkpointPath}' not found: there is no file '{file}'", file);

    /// <summary>
    /// The newest checkpoint (prefix form) listed in <paramref name="directory"/>'s state file whose file reads
    /// cleanly and holds only finite values, skipping <paramref name="exceptFile"/>; null when there is none.
    /// It reads whole files, so it runs only once something has already gone wrong.
    /// </summary>
    public static string? LatestGoodCheckpoint(string directory, string? exceptFile = null)
    {
        CheckpointState? state;
        try
        {
            state = CheckpointState.Read(directory);
        }
        catch (CheckpointException)
        {
            return null;
        }
        if (state is null) return null;
        var newestFirst = state.AllModelCheckpointPaths.Reverse().Prepend(state.ModelCheckpointPath).Distinct();
        foreach (var name in newestFirst.Where(n => n.Length > 0))
        {
            var candidate = Path.Combine(directory, name);
            try
            {
                var file = DataFilePath(candidate);
                if (exceptFile is not null && Path.GetFullPath(file) == Path.GetFullPath(exceptFile)) continue;
                if (SafeTensorsFile.Read(file).Tensors.All(t => NonFiniteValues.Find(t.Data, t.DType) is null))
                    return candidate;
            }
            catch (CheckpointException) { } // a damaged one is not good either; look further back
            catch (ArgumentException) { }   // a state entry that is no usable path
        }
        return null;
    }

    private static readonly HashSet<string> ReservedMetadataKeys = new(StringComparer.Ordinal)
    {
        "format", "format_version", "created_utc", "global_step", HyperparametersKey,
    };

    /// <summary>The <c>__metadata__</c> key recording the model's <see cref="IModel.Hyperparameters"/> (<c>Dim=300, Vocab=12279</c>).</summary>
    public const string HyperparametersKey = "hyperparameters";

    /// <summary>The model's hyperparameters as the checkpoint records them; null for a model without any.</summary>
    private static string? HyperparameterText(IModel model) =>
        model.Hyperparameters.Count == 0 ? null : string.Join(", ", model.Hyperparameters.Select(kv => kv.Key + "=" + kv.Value));

    /// <summary>Restores the latest checkpoint of <paramref name="directory"/>; false when it has none.</summary>
    public bool RestoreLatest(IModel model, string directory)
    {
        var latest = LatestCheckpoint(directory);
        if (latest is null) return false;
        Restore(model, latest);
        return true;
    }

    /// <summary>
    /// The latest checkpoint (prefix form) named by <paramref name="directory"/>'s state file
    /// (<c>tf.train.latest_checkpoint</c>), or null when there is no state file.
    /// </summary>
    public static string? LatestCheckpoint(string directory)
    {
        var state = CheckpointState.Read(directory);
        if (state is null || state.ModelCheckpointPath.Length == 0) return null;
        return Path.Combine(directory, state.ModelCheckpointPath);
    }

    /// <summary>The data file of a checkpoint path: appends <c>.safetensors</c> unless it is already there.</summary>
    public static string DataFilePath(string checkpointPath) =>
        checkpointPath.EndsWith(FileExtension, StringComparison.Ordinal) ? checkpointPath : checkpointPath + FileExtension;

    private bool StoresGlobalStep(IModel model) => Options.CoversWholeModel && !model.AllVariables.Contains(GlobalStepTensorName);

    private static void ThrowIfMismatched(string file, List<string> problems)
    {
        if (problems.Count > 0)
            throw new CheckpointException(CheckpointErrorKind.Mismatch,
                $"checkpoint '{file}' does not match the model ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):\n  - " + string.Join("\n  - ", problems),
                file);
    }

    private static void CheckBinding(CheckpointBinding binding, SafeTensorsFile checkpoint, List<string> problems)
    {
        var variable = binding.Variable;
        var who = binding.TensorName == variable.Name
            ? $"variable '{variable.Name}'"
            : $"variable '{variable.Name}' (checkpoint tensor '{binding.TensorName}')";
        if (!checkpoint.TryGet(binding.TensorName, out var tensor))
        {
            problems.Add($"{who} ({SafeTensorDTypes.Name(variable.DType)} {variable.ShapeText}) is missing from the checkpoint");
            return;
        }
        if (tensor.DType != variable.DType)
            problems.Add($"{who}: dtype mismatch, checkpoint {SafeTensorDTypes.Name(tensor.DType)}, model {SafeTensorDTypes.Name(variable.DType)}");
        if (!tensor.Shape.SequenceEqual(variable.Shape))
            problems.Add($"{who}: shape mismatch, checkpoint {tensor.ShapeText()}, model {variable.ShapeText}");
    }

    private static void RefuseNonFiniteVariables(List<CheckpointBinding> bindings, string checkpointPath)
    {
        var infos = bindings.Select(b => new SafeTensorInfo(b.Variable.Name, b.Variable.DType, b.Variable.Shape)).ToList();
        var findings = FindNonFinite(infos, i => bindings[i].Variable.AsBytes(), "variable");
        if (findings.Count == 0) return;
        var directory = Path.GetDirectoryName(checkpointPath) ?? "";
        throw NonFinite($"refusing to save checkpoint '{checkpointPath}'", findings, "nothing was written and no checkpoint was deleted",
            DataFilePath(checkpointPath), directory, LatestGoodCheckpoint(directory));
    }

    private static void RefuseNonFiniteTensors(List<CheckpointBinding> bindings, SafeTensorsFile checkpoint, string checkpointPath)
    {
        // Every binding's tensor is known to be there: a missing one was reported as a mismatch already.
        var tensors = bindings.Select(b =>
        {
            checkpoint.TryGet(b.TensorName, out var tensor);
            return tensor;
        }).ToList();
        var findings = FindNonFinite(tensors.Select(t => new SafeTensorInfo(t.Name, t.DType, t.Shape)).ToList(), i => tensors[i].Data, "tensor");
        if (findings.Count == 0) return;
        var directory = Path.GetDirectoryName(checkpointPath) ?? "";
        throw NonFinite($"checkpoint '{checkpoint.Path}' holds non-finite values and was not restored", findings, "no variable was changed",
            checkpoint.Path, directory, LatestGoodCheckpoint(directory, checkpoint.Path));
    }

    private static List<(string Name, string Text)> FindNonFinite(List<SafeTensorInfo> infos, TensorBytesProvider bytesOf, string noun)
    {
        var findings = new List<(string Name, string Text)>();
        for (int i = 0; i < infos.Count; i++)
        {
            if (NonFiniteValues.Find(bytesOf(i), infos[i].DType) is { } bad)
                findings.Add((infos[i].Name, $"{noun} '{infos[i].Name}' ({SafeTensorDTypes.Name(infos[i].DType)} {SafeTensor.ShapeText(infos[i].Shape)}) holds {bad.Describe()}"));
        }
        return findings;
    }

    private static CheckpointException NonFinite(string what, List<(string Name, string Text)> findings, string consequence, string file, string directory, string? lastGood)
    {
        var finding = string.Join("; ", findings.Select(f => f.Text));
        return new(CheckpointErrorKind.NonFinite, $"{what}: {finding}; {consequence}; {LastGoodText(directory, lastGood)}", file)
        {
            TensorName = findings[0].Name,
            LastGoodCheckpoint = lastGood,
            Finding = finding,
        };
    }

    internal static string LastGoodText(string directory, string? lastGood) => lastGood is null
        ? $"there is no good checkpoint in '{(directory.Length == 0 ? "." : directory)}' to go back to"
        : $"the last good checkpoint is '{lastGood}'";

    private static string Describe(SafeTensor tensor) => $"{SafeTensorDTypes.Name(tensor.DType)} {tensor.ShapeText()}";

    /// <summary>
    /// Removes temporary files that killed saves of this prefix (or of the state file) left behind; they are
    /// as big as a checkpoint. A save of the same prefix running concurrently elsewhere would fail loudly
    /// at its rename rather than corrupt anything, and such sharing is unsupported anyway.
    /// </summary>
    private static void DeleteAbandonedTemporaryFiles(string directory, string prefixName)
    {
        foreach (var file in Directory.EnumerateFiles(directory, ".*" + AtomicFile.TemporarySuffix))
        {
            var name = Path.GetFileName(file);
            bool ours = name.StartsWith("." + prefixName + "-", StringComparison.Ordinal)
                || name.StartsWith("." + prefixName + FileExtension + ".", StringComparison.Ordinal)
                || name.StartsWith("." + CheckpointState.FileName + ".", StringComparison.Ordinal);
            if (!ours) continue;
            try { File.Delete(file); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private void UpdateState(string directory, string name, CheckpointState? previous)
    {
        var kept = new List<string>();
        if (previous is not null)
        {
            kept.AddRange(previous.AllModelCheckpointPaths);
            if (kept.Count == 0 && previous.ModelCheckpointPath.Length > 0) kept.Add(previous.ModelCheckpointPath);
        }
        // Saving the same step again moves it to the newest position, as TensorFlow does.
        kept.RemoveAll(p => p == name);
        kept.Add(name);
        var expired = new List<string>();
        if (Options.MaxToKeep > 0)
        {
            while (kept.Count > Options.MaxToKeep)
            {
                expired.Add(kept[0]);
                kept.RemoveAt(0);
            }
        }

        // The state must name only files that exist, so it is written before anything is deleted.
        new CheckpointState(name, kept).Write(directory);
        foreach (var old in expired)
        {
            try { File.Delete(Path.Combine(directory, DataFilePath(old))); }
            catch (IOException) { } // e.g. still open elsewhere on Windows; it is no longer listed, which is what matters.
            catch (UnauthorizedAccessException) { }
        }
    }
}
