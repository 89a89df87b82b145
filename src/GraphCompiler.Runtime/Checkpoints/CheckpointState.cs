using System.Text;

namespace GraphCompiler.Runtime.Checkpoints;

/// <summary>
/// The <c>checkpoint</c> state file of a checkpoint directory, in TensorFlow's protobuf text form:
/// <code>
/// model_checkpoint_path: "skip-gram-4000"
/// all_model_checkpoint_paths: "skip-gram-3000"
/// all_model_checkpoint_paths: "skip-gram-4000"
/// </code>
/// Paths are relative to the directory and name checkpoints in prefix form (no <c>.safetensors</c>).
/// </summary>
public sealed record CheckpointState(string ModelCheckpointPath, IReadOnlyList<string> AllModelCheckpointPaths)
{
    /// <summary>The state file's name inside a checkpoint directory.</summary>
    public const string FileName = "checkpoint";

    /// <summary>The text TensorFlow writes for this state (latest first, then every kept one, oldest first).</summary>
    public string Format()
    {
        var text = new StringBuilder();
        text.Append("model_checkpoint_path: ").Append(Quote(ModelCheckpointPath)).Append('\n');
        foreach (var path in AllModelCheckpointPaths)
            text.Append("all_model_checkpoint_paths: ").Append(Quote(path)).Append('\n');
        return text.ToString();
    }

    /// <summary>
    /// Parses state text. Fields TensorFlow added later (timestamps) are accepted and ignored;
    /// anything unreadable throws <see cref="CheckpointException"/> naming <paramref name="source"/> and the line.
    /// </summary>
    public static CheckpointState Parse(string text, string source)
    {
        string? latest = null;
        var all = new List<string>();
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            int colon = line.IndexOf(':');
            if (colon <= 0)
                throw Corrupt($"checkpoint state file '{source}' line {i + 1} is not 'key: value': {line}", source);
            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "model_checkpoint_path":
                    latest = Unquote(value, source, i + 1);
                    break;
                case "all_model_checkpoint_paths":
                    all.Add(Unquote(value, source, i + 1));
                    break;
                case "all_model_checkpoint_timestamps":
                case "last_preserved_timestamp":
                    break;
                default:
                    throw Corrupt($"checkpoint state file '{source}' line {i + 1} has unknown field '{key}'", source);
            }
        }
        if (latest is null)
            throw Corrupt($"checkpoint state file '{source}' has no model_checkpoint_path", source);
        return new CheckpointState(latest, all);
    }

    /// <summary>
    /// The state of <paramref name="directory"/>, or null when it has no state file. A state file that cannot be
    /// read, is not UTF-8 or is unreasonably large is a <see cref="CheckpointException"/> naming it.
    /// </summary>
    public static CheckpointState? Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        string text;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            // A real state file lists a few names; anything this big is not one, and is not read into memory.
            if (stream.Length > MaxBytes)
                throw Corrupt($"checkpoint state file '{path}' is {stream.Length} bytes long, more than the {MaxBytes}-byte limit of a state file", path);
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            text = StrictUtf8.GetString(bytes);
            if (text.StartsWith('\uFEFF')) text = text[1..]; // a byte-order mark from an editor
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        catch (DecoderFallbackException e)
        {
            throw Corrupt($"checkpoint state file '{path}' is not UTF-8 text (bad byte at offset {e.Index})", path, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(CheckpointErrorKind.Unreadable, $"checkpoint state file '{path}' could not be read: {e.Message}", path, e);
        }
        return Parse(text, path);
    }

    /// <summary>The largest state file accepted.</summary>
    private const int MaxBytes = 16 << 20;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static CheckpointException Corrupt(string message, string source, Exception? inner = null) =>
        new(CheckpointErrorKind.Corrupt, message, source, inner);

    /// <summary>Writes this state to <paramref name="directory"/> atomically.</summary>
    public void Write(string directory) =>
        AtomicFile.WriteAllBytes(Path.Combine(directory, FileName), Encoding.UTF8.GetBytes(Format()));

    // Protobuf text-format string escapes: backslash, quotes and control characters.
    private static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (char c in value)
        {
            switch (c)
            {
                case '\\': text.Append("\\\\"); break;
                case '"': text.Append("\\\""); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (c < 0x20) text.Append('\\').Append(Convert.ToString(c, 8).PadLeft(3, '0'));
                    else text.Append(c);
                    break;
            }
        }
        return text.Append('"').ToString();
    }

    // Octal escapes are bytes (protobuf escapes non-ASCII UTF-8 that way), so decode into bytes first.
    private static string Unquote(string value, string source, int line)
    {
        if (value.Length < 2 || value[0] != value[^1] || value[0] is not ('"' or '\''))
            throw Corrupt($"checkpoint state file '{source}' line {line}: expected a quoted string, got {value}", source);
        var bytes = new List<byte>();
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 1; i < value.Length - 1; i++)
        {
            char c = value[i];
            if (c == '\\')
            {
                if (++i >= value.Length - 1)
                    throw Corrupt($"checkpoint state file '{source}' line {line}: the string ends in a lone backslash", source);
                c = value[i];
                if (c is >= '0' and <= '7')
                {
                    int end = i;
                    while (end < value.Length - 1 && end < i + 3 && value[end] is >= '0' and <= '7') end++;
                    int octal = Convert.ToInt32(value[i..end], 8);
                    if (octal > 0xFF)
                        throw Corrupt($"checkpoint state file '{source}' line {line}: the escape \\{value[i..end]} is not a byte", source);
                    bytes.Add((byte)octal);
                    i = end - 1;
                    continue;
                }
                c = c switch { 'n' => '\n', 'r' => '\r', 't' => '\t', _ => c };
            }
            int count = new Rune(char.IsSurrogate(c) ? '?' : c).EncodeToUtf8(utf8);
            if (char.IsHighSurrogate(c) && i + 1 < value.Length - 1 && Rune.TryCreate(c, value[i + 1], out var pair))
            {
                count = pair.EncodeToUtf8(utf8);
                i++;
            }
            for (int k = 0; k < count; k++) bytes.Add(utf8[k]);
        }
        try
        {
            return StrictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException e)
        {
            throw Corrupt($"checkpoint state file '{source}' line {line}: the escaped bytes are not UTF-8", source, e);
        }
    }
}
