namespace Ribat.Stix.Validation;

/// <summary>Collects the findings about one object, each stamped with that object's id.</summary>
internal sealed class IssueSink(string? objectId, List<StixIssue> issues)
{
    public string? ObjectId { get; } = objectId;

    public void Error(string? property, string message) => issues.Add(new StixIssue(StixSeverity.Error, ObjectId, property, message));

    public void Warning(string? property, string message) => issues.Add(new StixIssue(StixSeverity.Warning, ObjectId, property, message));

    public void Add(StixSeverity severity, string? property, string message) => issues.Add(new StixIssue(severity, ObjectId, property, message));

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
