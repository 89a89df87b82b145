using System.Diagnostics;
using System.Globalization;
using CheckpointCrashChild;
using GraphCompiler.Runtime.Checkpoints;

// Usage: CheckpointCrashChild <directory> <elements per variable> <max to keep>
// Resumes from the directory's latest checkpoint, then saves step after step forever, announcing
// "begin <step>" before and "saved <step> <milliseconds>" after each save, until it is killed.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: CheckpointCrashChild <directory> <elements per variable> <max to keep>");
    return 2;
}

var directory = args[0];
var model = new CrashModel(int.Parse(args[1], CultureInfo.InvariantCulture));
var saver = new Saver(new SaverOptions { MaxToKeep = int.Parse(args[2], CultureInfo.InvariantCulture) });
if (saver.RestoreLatest(model, directory) && model.FindInconsistency() is { } problem)
{
    Console.Error.WriteLine("restored an inconsistent checkpoint: " + problem);
    return 3;
}
Console.WriteLine("resumed " + model.GlobalStep.ToString(CultureInfo.InvariantCulture));

for (long step = model.GlobalStep + 1; ; step++)
{
    model.FillForStep(step);
    Console.WriteLine("begin " + step.ToString(CultureInfo.InvariantCulture));
    var clock = Stopwatch.StartNew();
    saver.Save(model, Path.Combine(directory, "crash"), step);
    Console.WriteLine($"saved {step.ToString(CultureInfo.InvariantCulture)} {clock.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture)}");
}
