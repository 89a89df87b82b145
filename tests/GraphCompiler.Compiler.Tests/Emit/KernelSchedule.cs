using GraphCompiler.Compiler.Emit;

namespace GraphCompiler.Compiler.Tests.Emit;

/// <summary>Checks on a fusion plan's order shared by the fusion tests.</summary>
internal static class KernelSchedule
{
    /// <summary>Every kernel reads only values of kernels scheduled before it.</summary>
    public static void AssertScheduledAfterInputs(IReadOnlyList<Kernel> kernels)
    {
        var producer = kernels.SelectMany(k => k.Members.Select(n => (n, k.Index))).ToDictionary(p => p.n, p => p.Index);
        foreach (var k in kernels)
            foreach (var input in k.Inputs.Where(producer.ContainsKey))
                Assert.True(producer[input] < k.Index, $"kernel {k.MethodName} reads {input.Name} from kernel {producer[input]}, which runs later");
    }
}
