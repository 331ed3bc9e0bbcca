using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ribat.Forensics.Detection.Yara;

namespace Ribat.Core.Findings;

/// <summary>Where the server's YARA rules live: the <c>yara</c> folder of the data directory, unless set.</summary>
public sealed class AnalysisOptions
{
    public string? YaraDirectory { get; set; }
}

/// <summary>One file scanned with the server's rules: the matches, or why it could not be scanned.</summary>
public sealed record YaraHits(string Target, string Sha256, IReadOnlyList<YaraMatch> Matches, string? Error);

/// <summary>
/// The operator's YARA rules (every <c>.yar</c>/<c>.yara</c> file under <see cref="AnalysisOptions.YaraDirectory"/>),
/// compiled once and again whenever a rule file changes; rules that do not compile are logged by file and line and
/// left out. No folder means no YARA scan; a node without libyara says so in each finding.
/// </summary>
public sealed class ServerYara(IOptions<AnalysisOptions> options, ILogger<ServerYara> log) : IDisposable
{
    private readonly Lock _gate = new();
    private YaraRuleSet? _rules;
    private DateTime _compiledFor;

    /// <summary>Scans each of <paramref name="files"/> (a label, its SHA-256, its path); null when no rules are set up.</summary>
    public IReadOnlyList<YaraHits>? Scan(IReadOnlyList<(string Target, string Sha256, string Path)> files)
    {
        if (options.Value.YaraDirectory is not { } folder || !Directory.Exists(folder) || files.Count == 0)
        {
            return null;
        }

        if (YaraRuleSet.Unavailable is { } unavailable)
        {
            return [.. files.Select(f => new YaraHits(f.Target, f.Sha256, [], unavailable))];
        }

        lock (_gate)
        {
            if (Rules(folder) is not { } rules)
            {
                return null;
            }

            using var scanner = new YaraScanner(rules, timeoutSeconds: 60);
            return [.. files.Select(f => Hits(f, scanner.Scan(f.Path)))];
        }
    }

    public void Dispose() => _rules?.Dispose();

    private static YaraHits Hits((string Target, string Sha256, string Path) file, YaraScanResult result) =>
        new(file.Target, file.Sha256, result.Matches, result.Error);

    private YaraRuleSet? Rules(string folder)
    {
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yar", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yara", StringComparison.OrdinalIgnoreCase)).ToList();
        var newest = files.Count == 0 ? DateTime.MinValue : files.Max(File.GetLastWriteTimeUtc);
        if (_rules is not null && newest == _compiledFor)
        {
            return _rules;
        }

        _rules?.Dispose();
        _rules = null;
        _compiledFor = newest;
        if (files.Count == 0)
        {
            return null;
        }

        var (rules, problems) = YaraRuleSet.Compile([folder]);
        foreach (var problem in problems)
        {
            log.LogWarning("YARA rule {File}({Line}) left out: {Problem}", problem.File, problem.Line, problem.Message);
        }

        _rules = rules;
        return rules;
    }
}
