namespace Ribat.Stix;

/// <summary>How serious an issue is: a broken MUST, a missed SHOULD, or a note.</summary>
public enum StixSeverity
{
    Info,
    Warning,
    Error,
}

/// <summary>
/// One finding about a STIX document: which object (its id, when it has one), which property (a JSON path inside the
/// object, e.g. <c>external_references[2].external_id</c>) and what is wrong.
/// </summary>
public sealed record StixIssue(StixSeverity Severity, string? ObjectId, string? Property, string Message)
{
    public override string ToString() =>
        $"{Severity.ToString().ToLowerInvariant()}: {ObjectId ?? "(no id)"}{(Property is null ? string.Empty : " " + Property)}: {Message}";
}
