using System.Security.Cryptography;
using System.Text;

namespace Ribat.Forensics.Detection;

/// <summary>What the engine needs from its caller besides the rules: the values of <c>|expand</c> placeholders.</summary>
public sealed class SigmaEngineOptions
{
    public static SigmaEngineOptions Default { get; } = new();

    /// <summary>Placeholder name (without the % signs) to its values; a rule using a placeholder missing here does not
    /// load, and the failure names the placeholder.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Placeholders { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>The log source map; the built-in one unless a caller brings its own.</summary>
    public SigmaLogSourceMap LogSources { get; init; } = SigmaLogSourceMap.BuiltIn;
}

/// <summary>
/// Reads one rule text into a <see cref="SigmaRule"/> or a <see cref="SigmaCorrelationRule"/>, or says why it cannot:
/// the validator's first error, or the first thing the engine cannot compile. Never throws on any text.
/// </summary>
public static class SigmaRuleReader
{
    public static bool TryRead(string text, string source, SigmaEngineOptions options, out SigmaRule? rule, out SigmaCorrelationRule? correlation,
        out string reason)
    {
        rule = null;
        correlation = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            reason = "the rule text is empty.";
            return false;
        }

        if (text.Length > DetectionRules.MaxBytes || text.Contains('\0'))
        {
            reason = text.Length > DetectionRules.MaxBytes
                ? $"the rule text is larger than {DetectionRules.MaxBytes / 1024 / 1024} MB."
                : "the rule text contains NUL characters: it is binary data, not a rule.";
            return false;
        }

        var report = new RuleReport();
        var root = YamlTree.Read(text, report);
        if (root is YamlMapping map && map["correlation"] is not null)
        {
            return SigmaCorrelationRule.TryRead(map, source, out correlation, out reason);
        }

        if (root is not null)
        {
            SigmaValidator.Validate(root, report);
        }

        if (report.FirstError is { } error)
        {
            reason = error.Line > 0 ? $"line {error.Line}, column {error.Column}: {error.Message}" : error.Message;
            return false;
        }

        rule = Build((YamlMapping)root!, source);
        var trial = new SigmaDetectionCompiler(new SigmaFieldTable(), renames: null, options.Placeholders);
        if (trial.Compile(rule.Detection) is null)
        {
            reason = trial.Error!;
            rule = null;
            return false;
        }

        reason = "";
        return true;
    }

    private static SigmaRule Build(YamlMapping map, string source)
    {
        var tags = new List<string>();
        if (map["tags"] is YamlSequence list)
        {
            foreach (var item in list.Items)
            {
                if (item is YamlScalar tag)
                {
                    tags.Add(tag.Value);
                }
            }
        }

        var logSource = (YamlMapping)map["logsource"]!;
        var text = (string key) => map[key] is YamlScalar { IsNull: false } scalar ? scalar.Value : null;
        var part = (string key) => logSource[key] is YamlScalar { IsNull: false } scalar ? scalar.Value : null;
        var id = text("id") ?? DerivedId(source);
        return new SigmaRule(id, text("title")!, text("name"), text("level"), text("status"), tags,
            new SigmaLogSource(part("product"), part("category"), part("service")), source, (YamlMapping)map["detection"]!);
    }

    /// <summary>A rule without an id still needs one that stays the same from run to run.</summary>
    internal static string DerivedId(string source)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(source));
        return new Guid(hash.AsSpan(0, 16)).ToString("D");
    }
}
