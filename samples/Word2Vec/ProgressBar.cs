using System.Globalization;

namespace Word2Vec;

/// <summary>
/// How far a run is, in bytes of the corpus's text: <paramref name="Done"/> over all epochs so far,
/// <paramref name="StartDone"/> of it already done when this process started (a resumed run), an epoch's
/// <paramref name="EpochBytes"/>, and the seconds this process has trained. The rate, and with it the ETAs,
/// counts only this process's bytes.
/// </summary>
public readonly record struct Progress(long Done, long StartDone, long EpochBytes, int Epochs, double Seconds)
{
    /// <summary>The share of the whole run done.</summary>
    public double Fraction => Math.Clamp((double)Done / Math.Max(1, EpochBytes * Epochs), 0, 1);

    /// <summary>The epoch being read (1-based).</summary>
    public int Epoch => (int)Math.Min(Epochs, Done / Math.Max(1, EpochBytes) + 1);

    /// <summary>Bytes read of the current epoch.</summary>
    public long InEpoch => Math.Min(EpochBytes, Done - (Epoch - 1) * EpochBytes);

    /// <summary>Seconds to the end of the current epoch and of the run at this process's rate (null before there is a rate).</summary>
    public (TimeSpan Epoch, TimeSpan Run)? Eta
    {
        get
        {
            double rate = (Done - StartDone) / Math.Max(Seconds, 1e-9);
            if (!(rate > 0)) return null;
            return (TimeSpan.FromSeconds((EpochBytes - InEpoch) / rate), TimeSpan.FromSeconds(Math.Max(0, EpochBytes * Epochs - Done) / rate));
        }
    }
}

/// <summary>A one-line progress bar (redrawn in place on a terminal, a line every few seconds otherwise).</summary>
public sealed class ProgressBar(TextWriter writer, bool interactive)
{
    private DateTime _lastLine = DateTime.MinValue;

    public void Draw(Progress progress, long step, float loss, double wordsPerSecond)
    {
        int filled = (int)(progress.Fraction * 30);
        string eta = progress.Eta is { } t ? $"ETA {Clock(t.Epoch)} epoch, {Clock(t.Run)} run" : "ETA …";
        string line = string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('.', 30 - filled)}] {progress.Fraction,4:P0}  epoch {progress.Epoch}/{progress.Epochs} {Megabytes(progress.InEpoch)} of {Megabytes(progress.EpochBytes)} MB  {eta}  step {step}  loss {loss:F3}  {wordsPerSecond:N0} words/s");
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

    private static string Megabytes(long bytes) => (bytes / 1e6).ToString(bytes < 10_000_000 ? "F2" : "F1", CultureInfo.InvariantCulture);

    private static string Clock(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}:{span.Minutes:D2}:{span.Seconds:D2}")
        : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}:{span.Seconds:D2}");
}
