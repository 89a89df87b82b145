using System.Globalization;
using System.Text;

namespace GraphCompiler.Runtime.Training;

/// <summary>
/// Reports training progress to a <see cref="TextWriter"/>. Interactive (a terminal): one status line redrawn in
/// place with a carriage return at most every <see cref="RedrawInterval"/>: epoch, a bar and ETA when the total
/// is known, step, smoothed loss, steps per second. Otherwise (output redirected to a file or a CI log): the same
/// status as a plain line every <see cref="LogInterval"/> steps. Both modes add a line per epoch and a summary.
/// <see cref="Trainer.Fit"/> adds <see cref="ForConsole"/> unless told otherwise; it is an ordinary callback.
/// </summary>
public sealed class ProgressReporter : ITrainingCallback
{
    private const int BarWidth = 24;
    // Smoothing as TensorBoard's default slider: an exponential moving average, bias-corrected so the first
    // steps are not pulled towards zero.
    private const double SmoothingDecay = 0.9;

    private readonly TextWriter _writer;
    private readonly TimeProvider _time;
    private TrainingContext? _context;
    private long _startTimestamp;
    private long _lastDrawTimestamp;
    private bool _drawnOnce;
    private int _lastLineLength;
    private bool _lineOpen;
    private double _average;
    private long _smoothedCount;

    /// <summary>A reporter writing to <paramref name="writer"/>.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="interactive">Redraw one line in place (a terminal) rather than print plain lines.</param>
    /// <param name="logInterval">Steps between lines in plain mode (at least 1).</param>
    /// <param name="timeProvider">The clock for rates and ETA; the system clock by default.</param>
    public ProgressReporter(TextWriter writer, bool interactive, int logInterval = 100, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (logInterval < 1) throw new ArgumentOutOfRangeException(nameof(logInterval), logInterval, "the log interval must be at least 1 step");
        _writer = writer;
        Interactive = interactive;
        LogInterval = logInterval;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>A reporter on standard output: interactive unless <see cref="Console.IsOutputRedirected"/>.</summary>
    public static ProgressReporter ForConsole(int logInterval = 100) => new(Console.Out, !Console.IsOutputRedirected, logInterval);

    /// <summary>Whether the status line is redrawn in place.</summary>
    public bool Interactive { get; }

    /// <summary>Steps between lines in plain (redirected) mode.</summary>
    public int LogInterval { get; }

    /// <summary>The shortest time between two redraws in interactive mode (terminals are slow).</summary>
    public TimeSpan RedrawInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The smoothed loss shown (NaN before the first step).</summary>
    public float SmoothedLoss => _smoothedCount == 0 ? float.NaN : (float)(_average / (1 - Math.Pow(SmoothingDecay, _smoothedCount)));

    /// <summary>Steps per second of this run so far (0 before any time has passed).</summary>
    public double StepsPerSecond
    {
        get
        {
            if (_context == null) return 0;
            double seconds = _time.GetElapsedTime(_startTimestamp).TotalSeconds;
            return seconds > 0 ? _context.Steps / seconds : 0;
        }
    }

    void ITrainingCallback.OnTrainBegin(TrainingContext context)
    {
        _context = context;
        _startTimestamp = _time.GetTimestamp();
        _drawnOnce = false;
        _lastLineLength = 0;
        _average = 0;
        _smoothedCount = 0;
    }

    bool ITrainingCallback.OnStepEnd(long step, float loss)
    {
        _average = SmoothingDecay * _average + (1 - SmoothingDecay) * loss;
        _smoothedCount++;
        var context = Context;
        if (Interactive)
        {
            long now = _time.GetTimestamp();
            if (!_drawnOnce || _time.GetElapsedTime(_lastDrawTimestamp, now) >= RedrawInterval)
            {
                Redraw(StatusText(withBar: true));
                _lastDrawTimestamp = now;
                _drawnOnce = true;
            }
        }
        else if (context.Steps % LogInterval == 0)
        {
            _writer.WriteLine(StatusText(withBar: false));
        }
        return false;
    }

    bool ITrainingCallback.OnEpochEnd(int epoch, EpochMetrics metrics)
    {
        var line = $"{EpochText(epoch)} done: {metrics.Steps} steps, mean loss {Number(metrics.MeanLoss)}";
        if (Interactive)
        {
            // Replace the bar by the epoch line; the next step draws a fresh bar under it.
            Redraw(line);
            EndLine();
            _drawnOnce = false;
        }
        else
        {
            _writer.WriteLine(line);
        }
        return false;
    }

    void ITrainingCallback.OnInterrupt(long step)
    {
        EndLine();
        _drawnOnce = false;
        _writer.WriteLine($"interrupted after global step {step}");
    }

    void ITrainingCallback.OnTrainEnd(FitResult result)
    {
        if (Interactive && _drawnOnce)
        {
            Redraw(StatusText(withBar: true));
            EndLine();
        }
        var seconds = _time.GetElapsedTime(_startTimestamp);
        var summary = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"finished: {result.Steps} steps in {Duration(seconds.TotalSeconds)}");
        if (seconds > TimeSpan.Zero && result.Steps > 0) summary.Append(CultureInfo.InvariantCulture, $" ({Rate(result.Steps / seconds.TotalSeconds)})");
        if (result.Steps > 0) summary.Append(", loss ").Append(Number(SmoothedLoss));
        summary.Append(CultureInfo.InvariantCulture, $", global step {result.GlobalStep}");
        if (result.StoppedBy != null) summary.Append(", stopped by ").Append(result.StoppedBy.GetType().Name);
        if (result.Interrupted) summary.Append(", interrupted");
        _writer.WriteLine(summary.ToString());
        _writer.Flush();
    }

    /// <summary>Ends a half-drawn status line (e.g. when the step threw); safe to call at any time.</summary>
    internal void Close()
    {
        EndLine();
        _writer.Flush();
    }

    /// <summary>The status: epoch, [bar,] step[/total], smoothed loss, rate, ETA.</summary>
    internal string StatusText(bool withBar)
    {
        var context = Context;
        long? total = context.TotalSteps;
        var text = new StringBuilder(EpochText(context.Epoch));
        if (withBar && total is long t && t > 0)
        {
            int filled = (int)Math.Min(BarWidth, context.Steps * BarWidth / t);
            text.Append(" [").Append('=', filled).Append('.', BarWidth - filled).Append(']');
        }
        text.Append(CultureInfo.InvariantCulture, $"  step {context.Steps}");
        if (total != null) text.Append(CultureInfo.InvariantCulture, $"/{total}");
        text.Append("  loss ").Append(Number(SmoothedLoss));
        double rate = StepsPerSecond;
        if (rate > 0)
        {
            text.Append("  ").Append(Rate(rate));
            if (total is long remainingOf && remainingOf >= context.Steps)
                text.Append("  ETA ").Append(Duration((remainingOf - context.Steps) / rate));
        }
        return text.ToString();
    }

    private TrainingContext Context => _context ?? throw new InvalidOperationException("the progress reporter was used before OnTrainBegin");

    private string EpochText(int epoch) =>
        Context.MaxEpochs is int max ? $"epoch {epoch}/{max}" : $"epoch {epoch}";

    private void Redraw(string line)
    {
        // Pad over the previous line's tail: '\r' only moves the cursor, it does not clear.
        int pad = Math.Max(0, _lastLineLength - line.Length);
        _writer.Write('\r');
        _writer.Write(line);
        if (pad > 0) _writer.Write(new string(' ', pad));
        _writer.Flush();
        _lastLineLength = line.Length;
        _lineOpen = true;
    }

    private void EndLine()
    {
        if (!_lineOpen) return;
        _writer.WriteLine();
        _lineOpen = false;
        _lastLineLength = 0;
    }

    private static string Number(float value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Rate(double stepsPerSecond) => stepsPerSecond.ToString("0.0", CultureInfo.InvariantCulture) + " steps/s";

    private static string Duration(double totalSeconds)
    {
        // Beyond 100 hours (or at a rate near zero) an ETA says nothing useful.
        if (!(totalSeconds < 360_000)) return "--:--";
        long seconds = (long)Math.Round(totalSeconds);
        return seconds >= 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}:{seconds / 60 % 60:00}:{seconds % 60:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}:{seconds % 60:00}");
    }
}
