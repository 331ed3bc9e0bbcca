using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Exchange;

/// <summary>
/// One observable as it travels between Ribat and another tool. <see cref="Value"/> is canonical
/// (<see cref="Observables.TryCanonicalise"/>); everything else is what the source said about it.
/// </summary>
public sealed record ExchangeIndicator
{
    public required ObservableType Type { get; init; }

    /// <summary>The canonical spelling: the one used for storage, de-duplication and matching.</summary>
    public required string Value { get; init; }

    /// <summary>What a person reads (Unicode domain, grouped IBAN, EIP-55 address).</summary>
    public required string Display { get; init; }

    public string? Comment { get; init; }

    /// <summary>Tags as written in the source, without the TLP and PAP tags (those are in <see cref="Tlp"/> and <see cref="Pap"/>).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>0 to 100, when the source states one.</summary>
    public int? Confidence { get; init; }

    public DateTimeOffset? FirstSeen { get; init; }

    public DateTimeOffset? LastSeen { get; init; }

    /// <summary>Meant for detection and blocking (MISP <c>to_ids</c>), as opposed to context.</summary>
    public bool ForDetection { get; init; }

    /// <summary>The MISP category (<c>Network activity</c>, <c>Payload delivery</c>, ...), when known.</summary>
    public string? Category { get; init; }

    /// <summary>The input's line this value was read from (1-based), so later checks can name it too; 0 when not read from a file.</summary>
    public int Line { get; init; }

    /// <summary>The source's identifier for the record this value came from (a MISP attribute uuid).</summary>
    public string? SourceId { get; init; }

    /// <summary>For a value that came from a MISP object: the object's template name (<c>file</c>, <c>domain-ip</c>).</summary>
    public string? ObjectName { get; init; }

    /// <summary>For a value that came from a MISP object: its relation within the object (<c>sha1</c>, <c>ip</c>).</summary>
    public string? ObjectRelation { get; init; }

    /// <summary>For a value that came from a MISP object: the object's uuid, so values of one object stay together on export.</summary>
    public string? ObjectId { get; init; }

    /// <summary>A TLP tag found on this value, spelled as in the input (<c>tlp:amber+strict</c>).</summary>
    public string? Tlp { get; init; }

    /// <summary>A PAP tag found on this value, spelled as in the input (<c>PAP:GREEN</c>).</summary>
    public string? Pap { get; init; }
}

/// <summary>A report (a MISP event): a titled, marked set of indicators.</summary>
public sealed record ExchangeReport
{
    /// <summary>The MISP event's <c>info</c>.</summary>
    public required string Title { get; init; }

    public DateOnly? Date { get; init; }

    /// <summary>The source's identifier for the report (a MISP event uuid).</summary>
    public string? SourceId { get; init; }

    /// <summary>The organisation that created the report (MISP <c>Orgc</c> name).</summary>
    public string? Organisation { get; init; }

    /// <summary>Tags as written in the source, without the TLP and PAP tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    public string? Tlp { get; init; }

    public string? Pap { get; init; }

    public string? ThreatActor { get; init; }

    public string? MalwareFamily { get; init; }

    /// <summary>MITRE ATT&amp;CK technique ids (<c>T1566</c>, <c>T1059.001</c>), in the order first met.</summary>
    public IReadOnlyList<string> AttackTechniques { get; init; } = [];

    /// <summary>MISP <c>threat_level_id</c>: 1 high, 2 medium, 3 low, 4 undefined.</summary>
    public int? ThreatLevel { get; init; }

    /// <summary>MISP <c>analysis</c>: 0 initial, 1 ongoing, 2 completed.</summary>
    public int? Analysis { get; init; }

    public IReadOnlyList<ExchangeIndicator> Indicators { get; init; } = [];
}
