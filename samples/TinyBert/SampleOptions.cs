namespace TinyBert;

/// <summary>The sample's settings, from its command line.</summary>
public sealed record SampleOptions(
    int Steps, double MaxMinutes, int BatchSize, float LearningRate, string LogDir, ulong Seed, bool Resume, bool Smoke, int FineTuneEpochs, int FineTuneSentences);
