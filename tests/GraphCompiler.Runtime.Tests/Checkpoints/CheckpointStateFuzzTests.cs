using System.Text;
using GraphCompiler.Runtime.Checkpoints;

namespace GraphCompiler.Runtime.Tests.Checkpoints;

/// <summary>
/// Seeded fuzzing of the <c>checkpoint</c> state file as read from disk: every damaged file is either read
/// (and then names only what its text says) or refused with a <see cref="CheckpointException"/> naming it.
/// </summary>
public sealed class CheckpointStateFuzzTests : IDisposable
{
    private const int Cases = 1000;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Every_damaged_state_file_is_read_or_refused_naming_the_file()
    {
        var original = Encoding.UTF8.GetBytes(new CheckpointState("skip-gram-4000", ["skip-gram-3000", "caf\u00e9 \"q\"\\-3500", "skip-gram-4000"]).Format()
            + "all_model_checkpoint_timestamps: 1700000000.5\n");
        var random = new Random(4000);
        var path = _dir.File(CheckpointState.FileName);
        int read = 0, refused = 0;
        for (int i = 0; i < Cases; i++)
        {
            var (what, bytes) = Mutate(original, random);
            File.WriteAllBytes(path, bytes);
            try
            {
                var latest = Saver.LatestCheckpoint(_dir.Path);
                var state = CheckpointState.Read(_dir.Path)!;
                // What was read must survive its own round trip: the parser understood the text it accepted.
                var again = CheckpointState.Parse(state.Format(), path);
                Assert.Equal(state.ModelCheckpointPath, again.ModelCheckpointPath);
                Assert.Equal(state.AllModelCheckpointPaths, again.AllModelCheckpointPaths);
                Assert.True(latest is null || latest == Path.Combine(_dir.Path, state.ModelCheckpointPath), $"case {i} ({what})");
                read++;
            }
            catch (CheckpointException e)
            {
                Assert.True(e.FilePath == path && e.Message.Contains(path), $"case {i} ({what}): the error does not name the file: {e.Message}");
                refused++;
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i} ({what}): {e.GetType().Name} escaped: {e.Message}");
            }
        }
        Assert.True(read >= 100 && refused >= 200, $"read {read}, refused {refused}");
    }

    private static (string What, byte[] Bytes) Mutate(byte[] original, Random random)
    {
        var bytes = original.ToList();
        string[] inserts = ["\\", "\"", "'", ":", "\n", "\\400", "\\377", "\\101", "#", "model_checkpoint_path: ", "\u0000", "\u00e9", "x"];
        int at = random.Next(bytes.Count + 1);
        switch (random.Next(5))
        {
            case 0:
                return ($"truncated to {at}", original[..at]);
            case 1:
                int index = random.Next(original.Length);
                var flipped = (byte[])original.Clone();
                flipped[index] ^= (byte)random.Next(1, 256);
                return ($"byte {index} flipped", flipped);
            case 2:
                var insert = inserts[random.Next(inserts.Length)];
                bytes.InsertRange(at, Encoding.UTF8.GetBytes(insert));
                return ($"'{insert}' inserted at {at}", [.. bytes]);
            case 3:
                byte[][] invalid = [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0x80], [0xEF, 0xBB, 0xBF]];
                bytes.InsertRange(at, invalid[random.Next(invalid.Length)]);
                return ($"bytes inserted at {at}", [.. bytes]);
            default:
                var lines = Encoding.UTF8.GetString(original).Split('\n').OrderBy(_ => random.Next()).ToArray();
                return ("lines shuffled", Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        }
    }
}
