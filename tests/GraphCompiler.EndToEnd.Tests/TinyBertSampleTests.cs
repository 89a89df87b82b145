using System.Globalization;
using System.Text.RegularExpressions;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>The TinyBert sample end to end on a short run: tokenizer, pre-training, summaries, checkpoint, fill-ins, the three fine-tunings.</summary>
public class TinyBertSampleTests
{
    private static string Dll => Path.Combine(TestRepository.Root, "samples", "TinyBert", "bin", TestRepository.Configuration, "net10.0", "TinyBert.dll");

    [Fact]
    public void A_short_run_pretrains_reports_and_fine_tunes_three_ways()
    {
        var logDir = Path.Combine(Path.GetTempPath(), "tinybert-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (code, output) = TestRepository.Run("dotnet", $"\"{Dll}\" --steps 20 --fine-tune-epochs 1 --fine-tune-sentences 64 --logdir \"{logDir}\"",
                TestRepository.Root, TimeSpan.FromMinutes(15));
            Assert.True(code == 0, output);
            var heldOut = Regex.Match(output, @"held out at step 20: masked LM loss ([0-9.]+), masked-token accuracy ([0-9.]+) %, next-sentence accuracy ([0-9.]+) %");
            Assert.True(heldOut.Success, output);
            // 20 steps already beat the uniform guess over 5,000 pieces (ln 5000 = 8.5 nats).
            Assert.InRange(double.Parse(heldOut.Groups[1].Value, CultureInfo.InvariantCulture), 0.5, 8.5);
            Assert.Contains("top-5 fill-ins:", output);
            Assert.Equal(6, Regex.Matches(output, @"^      -> \S+ [0-9.]+ %", RegexOptions.Multiline).Count);
            foreach (var variant in new[] { "pre-trained encoder, frozen (head only)", "pre-trained encoder, fine-tuned", "same architecture from scratch" })
                Assert.Matches(Regex.Escape(variant) + @" +test accuracy +[0-9.]+ %", output);
            Assert.Matches(@"restored \d+ encoder variables", output);

            Assert.True(File.Exists(Path.Combine(logDir, "vocab.txt")));
            Assert.Equal(5000, File.ReadAllLines(Path.Combine(logDir, "vocab.txt")).Length);
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(logDir, "pretrain"), "events.out.tfevents.*"));
            // The checkpoint's safetensors header (8-byte length, then JSON) names the variables as Google's BERT does.
            var bytes = File.ReadAllBytes(Path.Combine(logDir, "pretrain", "model-20.safetensors"));
            var header = System.Text.Encoding.UTF8.GetString(bytes, 8, (int)BitConverter.ToUInt64(bytes, 0));
            foreach (var name in new[] { "bert/embeddings/word_embeddings", "bert/encoder/layer_1/attention/self/query/kernel", "bert/pooler/dense/kernel",
                "cls/predictions/output_bias", "cls/seq_relationship/output_weights" })
                Assert.Contains($"\"{name}\"", header);
        }
        finally
        {
            if (Directory.Exists(logDir)) Directory.Delete(logDir, recursive: true);
        }
    }

    [Fact]
    public void Smoke_test_passes()
    {
        var logDir = Path.Combine(Path.GetTempPath(), "tinybert-smoke-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (code, output) = TestRepository.Run("dotnet", $"\"{Dll}\" --smoke --logdir \"{logDir}\"", TestRepository.Root, TimeSpan.FromMinutes(10));
            Assert.True(code == 0, output);
            Assert.Contains("smoke test passed", output);
            Assert.Contains("bert/encoder/layer_0/attention/self/query/kernel", output);
        }
        finally
        {
            if (Directory.Exists(logDir)) Directory.Delete(logDir, recursive: true);
        }
    }
}
