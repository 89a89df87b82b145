using System.CommandLine;
using GraphCompiler.Runtime.Checkpoints;
using GraphCompiler.Runtime.Text;
using GraphCompiler.Runtime.Training;

namespace GraphCompiler.Samples;

/// <summary>
/// Runs a sample's command: System.CommandLine parses (help, validation, completion), and every
/// failure leaves through one path: one line <c>error: &lt;what&gt; (&lt;file&gt;[:line]): &lt;why&gt;</c>
/// on stderr and an exit code from <see cref="ExitCodes"/>; the stack trace only with <c>--verbose</c>.
/// </summary>
public static class SampleProgram
{
    /// <summary>The option every sample has: print the stack trace of a failure.</summary>
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "Print the stack trace of a failure, not just its one-line error", Recursive = true };

    /// <summary>
    /// The option of the samples that train: run the smoke test (<c>Fit(..., smokeTest: true)</c>) instead of
    /// training, exiting with <see cref="ExitCodes.SmokeTestFailed"/> when it fails. Add it to the command.
    /// </summary>
    public static readonly Option<bool> Smoke = new("--smoke")
    {
        Description = "Check the model before training: one step on one batch (loss, each variable's gradient norm, step time), then overfit that batch and check that the loss falls",
    };

    /// <summary>Parses <paramref name="args"/> against <paramref name="command"/> and runs its action; returns the exit code.</summary>
    public static int Run(RootCommand command, string[] args, Func<ParseResult, int> action)
    {
        command.Options.Add(Verbose);
        command.SetAction(action);
        var parsed = command.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"error: {error.Message}");
            Console.Error.WriteLine($"Run '{command.Name} --help' for the options.");
            return ExitCodes.BadInput;
        }
        try
        {
            // The sample handles SIGINT/SIGTERM itself where it can stop cleanly (see TerminationRequest).
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (Exception e)
        {
            var (line, code) = Describe(e);
            Console.Out.Flush();
            Console.Error.WriteLine("error: " + line);
            if (code == ExitCodes.InternalError || parsed.GetValue(Verbose)) Console.Error.WriteLine(e);
            return code;
        }
    }

    /// <summary>
    /// Runs a sample whose options are bound from the parsed command line by <paramref name="bind"/>: an
    /// <see cref="ArgumentException"/> from it (options that cannot work together) is bad input, as a parse error is.
    /// </summary>
    public static int Run<TOptions>(RootCommand command, string[] args, Func<ParseResult, TOptions> bind, Func<TOptions, int> action) =>
        Run(command, args, parsed =>
        {
            TOptions options;
            try { options = bind(parsed); }
            catch (ArgumentException e) { throw new UserError("invalid options", e.Message, innerException: e); }
            return action(options);
        });

    /// <summary>The one-line description and exit code of a failure; unknown exceptions are internal errors.</summary>
    public static (string Line, int ExitCode) Describe(Exception e) => e switch
    {
        UserError user => (user.Message, user.ExitCode),
        SmokeTestFailedException smoke => (OneLine(smoke.Message), ExitCodes.SmokeTestFailed),
        // No CUDA driver or GPU, or a model whose device path lacks an op: the device asked for cannot run it.
        Runtime.Devices.DeviceUnavailableException or NotSupportedException => (OneLine(e.Message), ExitCodes.BadInput),
        InputFileException input => (input.Message, ExitCodes.BadInput),
        CheckpointException checkpoint => (UserError.Format("checkpoint", checkpoint.FilePath, null, OneLine(checkpoint.Message)), ExitCodes.BadInput),
        FileNotFoundException missing => (UserError.Format("file not found", missing.FileName, null, OneLine(missing.Message)), ExitCodes.BadInput),
        DirectoryNotFoundException or UnauthorizedAccessException or PathTooLongException => (OneLine(e.Message), ExitCodes.BadInput),
        _ => ($"unexpected {e.GetType().Name}: {OneLine(e.Message)} (a bug; the stack trace follows)", ExitCodes.InternalError),
    };

    // A multi-line message (a checkpoint's list of mismatches) joined into the one line.
    private static string OneLine(string message) =>
        string.Join("; ", message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.TrimStart('-', ' ')));
}
