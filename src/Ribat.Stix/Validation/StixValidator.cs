namespace Ribat.Stix.Validation;

public sealed class StixValidator { public IEnumerable<StixIssue> ValidateBundle(System.Text.Json.JsonElement root) => []; public IEnumerable<StixIssue> ValidateObject(System.Text.Json.JsonElement root) => []; }
