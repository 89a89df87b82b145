using System.Diagnostics;
using System.Runtime.InteropServices;
using GraphCompiler.Runtime.Checkpoints;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// Data-parallel training over MPI on loopback: <c>mpirun -np 2</c> runs of the Digits sample with
/// <c>--distributed</c> against one process with the same global batch, replicas checked bit-identical after
/// every step, and a rank killed mid-run.
/// </summary>
public class DistributedTrainingTests
{
    private static string Dll => Path.Combine(TestRepository.Root, "samples", "Digits", "bin", TestRepository.Configuration, "net10.0", "Digits.dll");

    private static ProcessStartInfo Launch(int ranks, string arguments) => MpiLauncher.StartInfo(ranks, Dll, arguments, TestRepository.Root);

    private static (int ExitCode, string Output) Run(int ranks, string arguments, TimeSpan timeout) => MpiLauncher.Run(ranks, Dll, arguments, TestRepository.Root, timeout);

    private static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "gc-distributed-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static SafeTensorsFile LatestCheckpoint(string logDir) =>
        SafeTensorsFile.Read(Saver.DataFilePath(Saver.LatestCheckpoint(Path.Combine(logDir, "checkpoints")) ?? throw new InvalidOperationException($"no checkpoint in {logDir}")));

    /// <summary>
    /// Two ranks with the all-reduce overlapped with the backward pass (the default) match one process with the same
    /// global batch within float tolerance, stay bit-identical to each other, and end bit-identical to two ranks
    /// that all-reduce after the backward pass (<c>--no-overlap</c>): the same sums in the same order.
    /// </summary>
    [Fact]
    public void TwoRanksMatchOneProcessWithTheSameGlobalBatchAndStayBitIdentical()
    {
        string one = TempDir(), two = TempDir(), twoAfter = TempDir();
        try
        {
            const string common = "--steps 30 --batch 32 --checkpoint-every 0 --log-every 0";
            var single = Run(1, $"{common} --logdir \"{one}\"", TimeSpan.FromMinutes(3));
            Assert.True(single.ExitCode == 0, single.Output);
            var pair = Run(2, $"{common} --check-replicas --logdir \"{two}\"", TimeSpan.FromMinutes(3));
            Assert.True(pair.ExitCode == 0, pair.Output);
            Assert.Contains("replicas bit-identical after every one of 30 steps", pair.Output);
            Assert.Contains("on 2 rank(s)", pair.Output);
            Assert.Contains("overlapped with the backward pass", pair.Output);
            Assert.Matches(@"25 of 25 buckets started during the backward pass", pair.Output);
            var pairAfter = Run(2, $"{common} --check-replicas --no-overlap --logdir \"{twoAfter}\"", TimeSpan.FromMinutes(3));
            Assert.True(pairAfter.ExitCode == 0, pairAfter.Output);
            Assert.Contains("0 of 25 buckets started during the backward pass", pairAfter.Output);
            var overlapped = LatestCheckpoint(two);
            var notOverlapped = LatestCheckpoint(twoAfter);
            Assert.Equal(notOverlapped.Tensors.Select(t => t.Name), overlapped.Tensors.Select(t => t.Name));
            foreach (var t in notOverlapped.Tensors)
            {
                Assert.True(overlapped.TryGet(t.Name, out var u));
                Assert.True(t.Data.AsSpan().SequenceEqual(u.Data), $"{t.Name} differs between the overlapped and the not overlapped all-reduce");
            }

            var a = LatestCheckpoint(one);
            var b = LatestCheckpoint(two);
            Assert.Equal(a.Tensors.Select(t => t.Name).OrderBy(n => n), b.Tensors.Select(t => t.Name).OrderBy(n => n));
            foreach (var t in a.Tensors)
            {
                Assert.True(b.TryGet(t.Name, out var u));
                if (t.DType != DType.Float32)
                {
                    Assert.Equal(t.Data, u.Data);   // the global step
                    continue;
                }
                var x = MemoryMarshal.Cast<byte, float>(t.Data);
                var y = MemoryMarshal.Cast<byte, float>(u.Data);
                for (int i = 0; i < x.Length; i++)
                    Assert.True(Math.Abs(x[i] - y[i]) <= 1e-4 + 1e-4 * Math.Abs(x[i]), $"{t.Name}[{i}]: one process {x[i]}, two ranks {y[i]}");
            }
        }
        finally
        {
            Directory.Delete(one, recursive: true);
            Directory.Delete(two, recursive: true);
            Directory.Delete(twoAfter, recursive: true);
        }
    }

    /// <summary>A rank that hangs (stopped, so mpirun sees nothing wrong): the watchdog ends rank 0's wait with an error line.</summary>
    [Fact]
    public async Task AHungRankMakesTheOtherExitWithAClearErrorWithinItsTimeout()
    {
        var dir = TempDir();
        int pid = 0;
        try
        {
            using var job = Process.Start(Launch(2, $"--steps 100000000 --batch 32 --checkpoint-every 20 --log-every 0 --collective-timeout 5 --logdir \"{dir}\""))!;
            var stdout = job.StandardOutput.ReadToEndAsync();
            var stderr = job.StandardError.ReadToEndAsync();
            await WaitForCheckpoint(job, dir, stdout, stderr);
            pid = int.Parse(File.ReadAllText(Path.Combine(dir, "rank-1.pid")), System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(0, Signal(pid, SigStop));
            bool exited = job.WaitForExit(60_000);
            if (!exited) job.Kill(entireProcessTree: true);
            Assert.True(exited, "rank 0 was still running 60 s after rank 1 stopped answering");
            var errors = await stderr;
            Assert.Equal(Runtime.Distributed.Communicator.PeerLostExitCode, job.ExitCode);
            Assert.Matches(@"error: rank 0: MPI_Allreduce\(sum\) has waited \d+ s for the other ranks \(limit 5 s\); a rank has died or hangs", errors);
            Assert.NotNull(Saver.LatestCheckpoint(Path.Combine(dir, "checkpoints")));
        }
        finally
        {
            // mpirun ends the stopped rank with the job; should it not, end it here (it is this test's child).
            if (pid != 0)
                try { using var stopped = Process.GetProcessById(pid); stopped.Kill(); } catch (ArgumentException) { }
            Directory.Delete(dir, recursive: true);
        }
    }

    private const int SigStop = 19;

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Signal(int pid, int signal);

    private static async Task WaitForCheckpoint(Process job, string dir, Task<string> stdout, Task<string> stderr)
    {
        var waiting = Stopwatch.StartNew();
        while (Saver.LatestCheckpoint(Path.Combine(dir, "checkpoints")) is null || !File.Exists(Path.Combine(dir, "rank-1.pid")))
        {
            if (job.HasExited) Assert.Fail("the job ended before its first checkpoint: " + await stdout + await stderr);
            Assert.True(waiting.Elapsed < TimeSpan.FromMinutes(2), "no checkpoint after 2 minutes");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task AKilledRankMakesTheOtherExitAndTheLastCheckpointResumes()
    {
        var dir = TempDir();
        try
        {
            using var job = Process.Start(Launch(2, $"--steps 100000000 --batch 32 --checkpoint-every 20 --log-every 0 --collective-timeout 20 --logdir \"{dir}\""))!;
            var stdout = job.StandardOutput.ReadToEndAsync();
            var stderr = job.StandardError.ReadToEndAsync();
            var checkpoints = Path.Combine(dir, "checkpoints");
            await WaitForCheckpoint(job, dir, stdout, stderr);
            int pid = int.Parse(File.ReadAllText(Path.Combine(dir, "rank-1.pid")), System.Globalization.CultureInfo.InvariantCulture);
            using (var rank1 = Process.GetProcessById(pid)) rank1.Kill();
            var afterKill = Stopwatch.StartNew();
            bool exited = job.WaitForExit(60_000);
            if (!exited) job.Kill(entireProcessTree: true);
            Assert.True(exited, "rank 0 was still running 60 s after rank 1 was killed");
            var output = await stdout + await stderr;
            Assert.True(job.ExitCode != 0, "the job exited 0 after a rank was killed: " + output);
            Assert.True(afterKill.Elapsed < TimeSpan.FromSeconds(60));

            // The last complete checkpoint reads back, and a restart (here on one rank) resumes from its step.
            var latest = Saver.LatestCheckpoint(checkpoints)!;
            long step = long.Parse(Saver.ReadMetadata(latest)["global_step"], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(step >= 20 && step % 20 == 0, $"checkpoint step {step}");
            var resumed = Run(1, $"--resume --steps {step + 10} --batch 32 --checkpoint-every 0 --log-every 0 --logdir \"{dir}\"", TimeSpan.FromMinutes(3));
            Assert.True(resumed.ExitCode == 0, resumed.Output);
            Assert.Contains($"steps {step}..{step + 10}", resumed.Output);
            Assert.Contains("10 steps on 1 rank(s)", resumed.Output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
