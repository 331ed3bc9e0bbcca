using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Ribat.Stix.Model;

public sealed class AttackPattern() : StixDomainObject("attack-pattern")
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public List<string>? Aliases { get; set; }

    public List<KillChainPhase>? KillChainPhases { get; set; }
}

public sealed class Campaign() : StixDomainObject("campaign")
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public List<string>? Aliases { get; set; }

    public StixTimestamp? FirstSeen { get; set; }

    public StixTimestamp? LastSeen { get; set; }

    public string? Objective { get; set; }
}

public sealed class CourseOfAction() : StixDomainObject("course-of-action")
{
    public string? Name { get; set; }

    public string? Description { get; set; }
}

public sealed class Grouping() : StixDomainObject("grouping")
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public string? Context { get; set; }

    public List<string>? ObjectRefs { get; set; }
}

public sealed class Identity() : StixDomainObject("identity")
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public List<string>? Roles { get; set; }

    public string? IdentityClass { get; set; }

    public List<string>? Sectors { get; set; }

    public string? ContactInformation { get; set; }
}

public sealed class Incident() : StixDomainObject("incident")
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public List<KillChainPhase>? KillChainPhases { get; set; }
}

public sealed class Indicator() : StixDomainObject("indicator")
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public List<string>? IndicatorTypes { get; set; }

    public string? Pattern { get; set; }

    public string? PatternType { get; set; }

    public string? PatternVersion { get; set; }

    public StixTimestamp? ValidFrom { get; set; }

    public StixTimestamp? ValidUntil { get; set; }

    public List<KillChainPhase>? KillChainPhases { get; set; }
}

public sealed class Infrastructure() : StixDomainObject("infrastructure")
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public List<string>? InfrastructureTypes { get; set; }

    public List<string>? Aliases { get; set; }

    public List<KillChainPhase>? KillChainPhases { get; set; }

    public StixTimestamp? FirstSeen { get; set; }

    public StixTimestamp? LastSeen { get; set; }
}

public sealed class IntrusionSet() : StixDomainObject("intrusion-set")
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public List<string>? Aliases { get; set; }

    public StixTimestamp? FirstSeen { get; set; }

    public StixTimestamp? LastSeen { get; set; }

    public List<string>? Goals { get; set; }

    public string? ResourceLevel { get; set; }

    public string? PrimaryMotivation { get; set; }

    public List<string>? SecondaryMotivations { get; set; }
}

public sealed class Location() : StixDomainObject("location")
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public double? Latitude { get; set; }

    public double? Longitude { get; set; }

    public double? Precision { get; set; }

    public string? Region { get; set; }

    public string? Country { get; set; }

    public string? AdministrativeArea { get; set; }

    public string? City { get; set; }

    public string? StreetAddress { get; set; }

    public string? PostalCode { get; set; }
}

public sealed class Malware() : StixDomainObject("malware")
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public List<string>? MalwareTypes { get; set; }

    public bool? IsFamily { get; set; }

    public List<string>? Aliases { get; set; }

    public List<KillChainPhase>? KillChainPhases { get; set; }

    public StixTimestamp? FirstSeen { get; set; }

    public StixTimestamp? LastSeen { get; set; }

    public List<string>? OperatingSystemRefs { get; set; }

    public List<string>? ArchitectureExecutionEnvs { get; set; }

    public List<string>? ImplementationLanguages { get; set; }

    public List<string>? Capabilities { get; set; }

    public List<string>? SampleRefs { get; set; }
}

public sealed class MalwareAnalysis() : StixDomainObject("malware-analysis")
{
    public string? Product { get; set; }

    public string? Version { get; set; }

    public string? HostVmRef { get; set; }

    public string? OperatingSystemRef { get; set; }

    public List<string>? InstalledSoftwareRefs { get; set; }

    public string? ConfigurationVersion { get; set; }

    public List<string>? Modules { get; set; }

    public string? AnalysisEngineVersion { get; set; }

    public string? AnalysisDefinitionVersion { get; set; }

    public StixTimestamp? Submitted { get; set; }

    public StixTimestamp? AnalysisStarted { get; set; }

    public StixTimestamp? AnalysisEnded { get; set; }

    public string? ResultName { get; set; }

    public string? Result { get; set; }

    public List<string>? AnalysisScoRefs { get; set; }

    public string? SampleRef { get; set; }
}

public sealed class Note() : StixDomainObject("note")
{
    public string? Abstract { get; set; }

    public string? Content { get; set; }

    public List<string>? Authors { get; set; }

    public List<string>? ObjectRefs { get; set; }
}

public sealed class ObservedData() : StixDomainObject("observed-data")
{
    public StixTimestamp? FirstObserved { get; set; }

    public StixTimestamp? LastObserved { get; set; }

    public long? NumberObserved { get; set; }

    /// <summary>Deprecated in 2.1 (an embedded dictionary of observables), kept as read.</summary>
    public JsonObject? Objects { get; set; }

    public List<string>? ObjectRefs { get; set; }
}

public sealed class Opinion() : StixDomainObject("opinion")
{
    public string? Explanation { get; set; }

    public List<string>? Authors { get; set; }

    /// <summary>The <c>opinion</c> property (opinion-enum); renamed because C# forbids a member named like its class.</summary>
    [JsonPropertyName("opinion")]
    public string? Value { get; set; }

    public List<string>? ObjectRefs { get; set; }
}

public sealed class Report() : StixDomainObject("report")
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public List<string>? ReportTypes { get; set; }

    public StixTimestamp? Published { get; set; }

    public List<string>? ObjectRefs { get; set; }
}

public sealed class ThreatActor() : StixDomainObject("threat-actor")
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public List<string>? ThreatActorTypes { get; set; }

    public List<string>? Aliases { get; set; }

    public StixTimestamp? FirstSeen { get; set; }

    public StixTimestamp? LastSeen { get; set; }

    public List<string>? Roles { get; set; }

    public List<string>? Goals { get; set; }

    public string? Sophistication { get; set; }

    public string? ResourceLevel { get; set; }

    public string? PrimaryMotivation { get; set; }

    public List<string>? SecondaryMotivations { get; set; }

    public List<string>? PersonalMotivations { get; set; }
}

public sealed class Tool() : StixDomainObject("tool")
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public List<string>? ToolTypes { get; set; }

    public List<string>? Aliases { get; set; }

    public List<KillChainPhase>? KillChainPhases { get; set; }

    public string? ToolVersion { get; set; }
}

public sealed class Vulnerability() : StixDomainObject("vulnerability")
{
    public string? Name { get; set; }

    public string? Description { get; set; }
}
