using System.Text.Json.Serialization;
using Ribat.Stix.Model;

namespace Ribat.Stix.Serialization;

/// <remarks>
/// MaxDepth here only bounds the per-object pass; the document's depth is already limited by
/// <see cref="StixReadOptions.MaxDepth"/> when it is parsed, and a caller may raise that.
/// </remarks>
/// <summary>
/// Source-generated metadata for every modelled type: no reflection at run time, and the property names (snake_case)
/// the validator and the pattern checker read the model from.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false,
    MaxDepth = 1024)]
[JsonSerializable(typeof(AttackPattern))]
[JsonSerializable(typeof(Campaign))]
[JsonSerializable(typeof(CourseOfAction))]
[JsonSerializable(typeof(Grouping))]
[JsonSerializable(typeof(Identity))]
[JsonSerializable(typeof(Incident))]
[JsonSerializable(typeof(Indicator))]
[JsonSerializable(typeof(Infrastructure))]
[JsonSerializable(typeof(IntrusionSet))]
[JsonSerializable(typeof(Location))]
[JsonSerializable(typeof(Malware))]
[JsonSerializable(typeof(MalwareAnalysis))]
[JsonSerializable(typeof(Note))]
[JsonSerializable(typeof(ObservedData))]
[JsonSerializable(typeof(Opinion))]
[JsonSerializable(typeof(Report))]
[JsonSerializable(typeof(ThreatActor))]
[JsonSerializable(typeof(Tool))]
[JsonSerializable(typeof(Vulnerability))]
[JsonSerializable(typeof(Relationship))]
[JsonSerializable(typeof(Sighting))]
[JsonSerializable(typeof(MarkingDefinition))]
[JsonSerializable(typeof(ExtensionDefinition))]
[JsonSerializable(typeof(LanguageContent))]
[JsonSerializable(typeof(CustomStixObject))]
[JsonSerializable(typeof(Artifact))]
[JsonSerializable(typeof(AutonomousSystem))]
[JsonSerializable(typeof(StixDirectory))]
[JsonSerializable(typeof(DomainName))]
[JsonSerializable(typeof(EmailAddress))]
[JsonSerializable(typeof(EmailMessage))]
[JsonSerializable(typeof(StixFile))]
[JsonSerializable(typeof(IPv4Address))]
[JsonSerializable(typeof(IPv6Address))]
[JsonSerializable(typeof(MacAddress))]
[JsonSerializable(typeof(StixMutex))]
[JsonSerializable(typeof(NetworkTraffic))]
[JsonSerializable(typeof(StixProcess))]
[JsonSerializable(typeof(Software))]
[JsonSerializable(typeof(Url))]
[JsonSerializable(typeof(UserAccount))]
[JsonSerializable(typeof(WindowsRegistryKey))]
[JsonSerializable(typeof(X509Certificate))]
internal sealed partial class StixJsonContext : JsonSerializerContext;
