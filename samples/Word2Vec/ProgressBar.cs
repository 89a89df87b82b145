using System.Globalization;

namespace Word2Vec;

/// <summary>A one-line progress bar (redrawn in place on a terminal, a line every few seconds otherwise).</summary>
public sealed class ProgressBar(TextWriter writer, bool interactive)
{
    private DateTime _lastLine = DateTime.MinValue;

    public void Draw(double fraction, long step, float loss, double wordsPerSecond)
    {
        fraction = Math.Clamp(fraction, 0, 1);
        int filled = (int)(fraction * 30);
        string line = string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('.', 30 - filled)}] {fraction,4:P0}  step {step}  loss {loss:F3}  {wordsPerSecond:N0} words/s");
        if (interactive) writer.Write("\r" + line);
        else if (DateTime.UtcNow - _lastLine > TimeSpan.FromSeconds(5))
        {
            writer.WriteLine(line);
            _lastLine = DateTime.UtcNow;
        }
    }

    public void Finish(double wordsPerSecond)
    {
        if (interactive) writer.WriteLine();
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained at {wordsPerSecond:N0} words/s"));
    }
}
