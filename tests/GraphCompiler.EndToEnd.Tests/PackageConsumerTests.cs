namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// Packs the GraphCompiler NuGet package to a local folder and builds and runs a throwaway model
/// project outside the repository against it, with a single PackageReference — as a user would.
/// </summary>
public class PackageConsumerTests
{
    [Fact]
    public void APackageReferenceIsAllAModelProjectNeeds()
    {
        var work = Directory.CreateTempSubdirectory("gc-consumer-");
        try
        {
            var feed = Path.Combine(work.FullName, "feed");
            // A unique version keeps NuGet's global cache from serving an older build of the package.
            var version = "0.1.0-test" + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
            var project = Path.Combine(TestRepository.Root, "src", "GraphCompiler.Package", "GraphCompiler.Package.csproj");
            var pack = TestRepository.Run("dotnet", $"pack \"{project}\" -c {TestRepository.Configuration} -o \"{feed}\" -p:PackageVersion={version} -nologo", TestRepository.Root, TimeSpan.FromMinutes(5));
            Assert.True(pack.ExitCode == 0, pack.Output);
            var nupkg = Assert.Single(Directory.GetFiles(feed, "GraphCompiler.*.nupkg"));
            using (var zip = System.IO.Compression.ZipFile.OpenRead(nupkg))
            {
                var entries = zip.Entries.Select(e => e.FullName).ToList();
                Assert.Contains("lib/net10.0/GraphCompiler.dll", entries);
                Assert.Contains("lib/net10.0/GraphCompiler.Runtime.dll", entries);
                Assert.Contains("analyzers/dotnet/cs/GraphCompiler.Generator.dll", entries);
                Assert.Contains("analyzers/dotnet/cs/GraphCompiler.Compiler.dll", entries);
            }

            var app = Path.Combine(work.FullName, "app");
            Directory.CreateDirectory(app);
            File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="local" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="GraphCompiler" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(app, "Program.cs"), """
                using GraphCompiler;
                using static GraphCompiler.Ops;

                var model = new Throwaway.Line(seed: 3);
                float[] x = [1, 2, 3, 4], y = [0, -1, -2, -3];
                for (int i = 0; i < 1000; i++) model.TrainStep(x, y, 0.01f);
                Console.WriteLine($"W={model.Variables.W} b={model.Variables.B}");

                namespace Throwaway
                {
                    [Model]
                    public partial class Line
                    {
                        [Loss]
                        static Tensor Loss([Shape("n")] Tensor x, [Shape("n")] Tensor y)
                        {
                            var W = Variable("W", [1], Init.Constant(0.3f));
                            var b = Variable("b", [1], Init.Constant(-0.3f));
                            return ReduceSum(Square(W * x + b - y));
                        }
                    }
                }
                """);
            var run = TestRepository.Run("dotnet", "run -c Release -nologo", app, TimeSpan.FromMinutes(5));
            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("W=[-0.9999969] b=[0.9999908]", run.Output);
        }
        finally
        {
            try { work.Delete(recursive: true); } catch (IOException) { }
        }
    }
}
