using GraphCompiler.Runtime.Checkpoints;

namespace GraphCompiler.Runtime.Tests.Checkpoints;

public sealed class CheckpointStateTests
{
    [Fact]
    public void Parses_what_tensorflow_writes_including_timestamps()
    {
        var text = """
            model_checkpoint_path: "model.ckpt-2000"
            all_model_checkpoint_paths: "model.ckpt-1000"
            all_model_checkpoint_paths: "model.ckpt-2000"
            all_model_checkpoint_timestamps: 1700000000.5
            all_model_checkpoint_timestamps: 1700000100.25
            last_preserved_timestamp: 1699999999.0
            """;
        var state = CheckpointState.Parse(text, "checkpoint");
        Assert.Equal("model.ckpt-2000", state.ModelCheckpointPath);
        Assert.Equal(["model.ckpt-1000", "model.ckpt-2000"], state.AllModelCheckpointPaths);
    }

    [Theory]
    [InlineData("plain-10")]
    [InlineData("with \"quotes\" and \\ backslash")]
    [InlineData("tab\tand\nnewline")]
    [InlineData("ünïcødé-😀")]
    public void Format_and_parse_round_trip(string name)
    {
        var state = new CheckpointState(name, ["older", name]);
        var back = CheckpointState.Parse(state.Format(), "checkpoint");
        Assert.Equal(state.ModelCheckpointPath, back.ModelCheckpointPath);
        Assert.Equal(state.AllModelCheckpointPaths, back.AllModelCheckpointPaths);
    }

    [Fact]
    public void Octal_escapes_are_utf8_bytes()
    {
        var state = CheckpointState.Parse("model_checkpoint_path: \"caf\\303\\251\"\n", "checkpoint");
        Assert.Equal("café", state.ModelCheckpointPath);
    }

    [Theory]
    [InlineData("model_checkpoint_path \"x\"", "not 'key: value'")]
    [InlineData("model_checkpoint_path: x", "expected a quoted string")]
    [InlineData("all_model_checkpoint_paths: \"x\"", "no model_checkpoint_path")]
    [InlineData("model_checkpoint_path: \"x\"\nsurprise: 1", "unknown field 'surprise'")]
    public void Malformed_state_is_refused_with_the_line(string text, string expected)
    {
        var e = Assert.Throws<CheckpointException>(() => CheckpointState.Parse(text, "dir/checkpoint"));
        Assert.Contains(expected, e.Message);
        Assert.Contains("dir/checkpoint", e.Message);
    }
}
