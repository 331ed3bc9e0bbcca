using Ribat.Forensics.Detection;

namespace Ribat.Forensics.Tests.Detection;

/// <summary>The whole SigmaHQ rule set of the shared corpus (SigmaHQ/sigma @ 8eaafff1, DRL 1.1), loaded and compiled
/// once for every test that needs it: loading takes seconds, not milliseconds.</summary>
internal static class SigmaCorpusRuleSet
{
    private static readonly Lazy<(SigmaLoadResult Load, SigmaRuleSet Set)> Loaded = new(() =>
    {
        var roots = Directory.EnumerateDirectories(SharedCorpus.Path("sigma"), "rules*").Order(StringComparer.Ordinal);
        var load = SigmaRuleLoader.LoadDirectories(roots);
        return (load, new SigmaRuleSet(load.Rules));
    });

    public static SigmaLoadResult Load => Loaded.Value.Load;

    public static SigmaRuleSet Set => Loaded.Value.Set;
}
