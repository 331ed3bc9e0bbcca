namespace Ribat.Forensics.Exchange;

/// <summary>
/// Reads threat actor, malware family and ATT&amp;CK techniques from MISP galaxy clusters and their tags
/// (<c>misp-galaxy:threat-actor="Sofacy"</c>, <c>misp-galaxy:mitre-attack-pattern="Phishing - T1566"</c>).
/// A report names one actor and one family: the first cluster of the most specific galaxy wins (see
/// <see cref="MalwareGalaxies"/>); every technique is kept.
/// </summary>
internal sealed class GalaxyDigest
{
    public const string TagPrefix = "misp-galaxy:";

    private static readonly string[] ActorGalaxies = ["threat-actor", "mitre-intrusion-set", "microsoft-activity-group"];

    /// <summary>Malpedia names families precisely; "tool" (threat actor tools) is the broadest, so it comes last.</summary>
    private static readonly string[] MalwareGalaxies =
    [
        "malpedia", "mitre-malware", "ransomware", "rat", "banker", "botnet", "stealer", "backdoor", "android",
        "mitre-enterprise-attack-malware", "tool",
    ];

    private readonly List<string> _techniques = [];
    private int _actorRank = int.MaxValue;
    private int _malwareRank = int.MaxValue;

    public string? ThreatActor { get; private set; }

    public string? MalwareFamily { get; private set; }

    public IReadOnlyList<string> Techniques => _techniques;

    public static bool TryParseTag(string tag, out string galaxy, out string value)
    {
        galaxy = value = string.Empty;
        if (!tag.StartsWith(TagPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var equals = tag.IndexOf('=', TagPrefix.Length);
        if (equals < 0)
        {
            return false;
        }

        galaxy = tag[TagPrefix.Length..equals].Trim();
        value = tag[(equals + 1)..].Trim();
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            value = value[1..^1];
        }

        return galaxy.Length > 0 && value.Length > 0;
    }

    public void OfferTag(string tag)
    {
        if (TryParseTag(tag, out var galaxy, out var value))
        {
            Offer(galaxy, value, null);
        }
    }

    public void Offer(string galaxy, string value, IReadOnlyList<string>? externalIds)
    {
        var actor = Array.IndexOf(ActorGalaxies, galaxy.ToLowerInvariant());
        if (actor >= 0 && actor < _actorRank)
        {
            _actorRank = actor;
            ThreatActor = WithoutMitreId(value);
        }

        var malware = Array.IndexOf(MalwareGalaxies, galaxy.ToLowerInvariant());
        if (malware >= 0 && malware < _malwareRank)
        {
            _malwareRank = malware;
            MalwareFamily = WithoutMitreId(value);
        }

        if (!galaxy.Contains("attack-pattern", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        if (TryTechniqueSuffix(value, out var technique))
        {
            AddTechnique(technique);
        }

        foreach (var id in externalIds ?? [])
        {
            if (IsTechniqueId(id))
            {
                AddTechnique(id);
            }
        }
    }

    /// <summary><c>T1566</c> or <c>T1059.001</c>.</summary>
    public static bool IsTechniqueId(ReadOnlySpan<char> id) =>
        (id.Length == 5 || (id.Length == 9 && id[5] == '.' && IsDigits(id[6..])))
        && id[0] == 'T' && IsDigits(id[1..5]);

    private static bool TryTechniqueSuffix(string value, out string technique)
    {
        var dash = value.LastIndexOf(" - ", StringComparison.Ordinal);
        var tail = dash < 0 ? value.AsSpan().Trim() : value.AsSpan(dash + 3).Trim();
        technique = IsTechniqueId(tail) ? tail.ToString() : string.Empty;
        return technique.Length > 0;
    }

    private static bool IsDigits(ReadOnlySpan<char> text) => !text.IsEmpty && !text.ContainsAnyExceptInRange('0', '9');

    /// <summary>MITRE clusters are named <c>APT28 - G0007</c> or <c>JHUHUGIT - S0044</c>; the id is not the name.</summary>
    private static string WithoutMitreId(string value)
    {
        var dash = value.LastIndexOf(" - ", StringComparison.Ordinal);
        if (dash < 0)
        {
            return value;
        }

        var id = value.AsSpan(dash + 3).Trim();
        return id.Length == 5 && (id[0] is 'G' or 'S') && IsDigits(id[1..]) ? value[..dash].Trim() : value;
    }

    private void AddTechnique(string technique)
    {
        if (!_techniques.Contains(technique))
        {
            _techniques.Add(technique);
        }
    }
}
