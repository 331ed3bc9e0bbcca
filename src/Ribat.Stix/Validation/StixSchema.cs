using System.Collections.Frozen;

namespace Ribat.Stix.Validation;

/// <summary>
/// The rules of STIX 2.1 that the model's types do not carry: required properties, what each reference may point at
/// and which vocabulary a property draws from. Keys are an owner (an object type or a predefined extension name) and a
/// property; <c>*</c> owns properties whose meaning is the same wherever they appear.
/// </summary>
internal static class StixSchema
{
    /// <summary>Any SDO type (used for relationship ends and <c>sighting_of_ref</c>).</summary>
    public const string AnyDomain = "<sdo>";

    /// <summary>Any SCO type.</summary>
    public const string AnyObservable = "<sco>";

    /// <summary>Any custom object type.</summary>
    public const string AnyCustom = "<custom>";

    public static readonly string[] VersionedCommonRequired = ["type", "spec_version", "id", "created", "modified"];

    public static FrozenDictionary<string, string[]> Required { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["attack-pattern"] = ["name"],
        ["campaign"] = ["name"],
        ["course-of-action"] = ["name"],
        ["grouping"] = ["context", "object_refs"],
        ["identity"] = ["name"],
        ["incident"] = ["name"],
        ["indicator"] = ["pattern", "pattern_type", "valid_from"],
        ["infrastructure"] = ["name"],
        ["intrusion-set"] = ["name"],
        ["malware"] = ["is_family"],
        ["malware-analysis"] = ["product"],
        ["note"] = ["content", "object_refs"],
        ["observed-data"] = ["first_observed", "last_observed", "number_observed"],
        ["opinion"] = ["opinion", "object_refs"],
        ["report"] = ["name", "published", "object_refs"],
        ["threat-actor"] = ["name"],
        ["tool"] = ["name"],
        ["vulnerability"] = ["name"],
        ["relationship"] = ["relationship_type", "source_ref", "target_ref"],
        ["sighting"] = ["sighting_of_ref"],
        ["extension-definition"] = ["created_by_ref", "name", "schema", "version", "extension_types"],
        ["language-content"] = ["object_ref", "contents"],
        ["marking-definition"] = ["type", "spec_version", "id", "created"],
        ["autonomous-system"] = ["number"],
        ["directory"] = ["path"],
        ["domain-name"] = ["value"],
        ["email-addr"] = ["value"],
        ["email-message"] = ["is_multipart"],
        ["ipv4-addr"] = ["value"],
        ["ipv6-addr"] = ["value"],
        ["mac-addr"] = ["value"],
        ["mutex"] = ["name"],
        ["network-traffic"] = ["protocols"],
        ["software"] = ["name"],
        ["url"] = ["value"],
        ["archive-ext"] = ["contains_refs"],
        ["windows-pebinary-ext"] = ["pe_type"],
        ["http-request-ext"] = ["request_method", "request_value"],
        ["icmp-ext"] = ["icmp_type_hex", "icmp_code_hex"],
        ["socket-ext"] = ["address_family"],
        ["external-reference"] = ["source_name"],
        ["kill-chain-phase"] = ["kill_chain_name", "phase_name"],
        ["granular-marking"] = ["selectors"],
        ["alternate-data-stream"] = ["name"],
        ["windows-pe-section"] = ["name"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly string[] Addresses = ["ipv4-addr", "ipv6-addr", "mac-addr", "domain-name"];

    /// <summary>What a reference may point at; an empty list means any type.</summary>
    public static FrozenDictionary<string, string[]> RefTargets { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["*.created_by_ref"] = ["identity"],
        ["*.object_marking_refs"] = ["marking-definition"],
        ["*.marking_ref"] = ["marking-definition"],
        ["*.object_refs"] = [],
        ["observed-data.object_refs"] = [AnyObservable, "relationship", AnyCustom],
        ["malware.sample_refs"] = ["file", "artifact"],
        ["malware.operating_system_refs"] = ["software"],
        ["malware-analysis.host_vm_ref"] = ["software"],
        ["malware-analysis.operating_system_ref"] = ["software"],
        ["malware-analysis.installed_software_refs"] = ["software"],
        ["malware-analysis.analysis_sco_refs"] = [AnyObservable, AnyCustom],
        ["malware-analysis.sample_ref"] = ["file", "artifact", "network-traffic"],
        ["relationship.source_ref"] = [AnyDomain, AnyObservable, AnyCustom],
        ["relationship.target_ref"] = [AnyDomain, AnyObservable, AnyCustom],
        ["sighting.sighting_of_ref"] = [AnyDomain, AnyCustom],
        ["sighting.observed_data_refs"] = ["observed-data"],
        ["sighting.where_sighted_refs"] = ["identity", "location"],
        ["language-content.object_ref"] = [],
        ["directory.contains_refs"] = ["file", "directory"],
        ["domain-name.resolves_to_refs"] = ["ipv4-addr", "ipv6-addr", "domain-name"],
        ["email-addr.belongs_to_ref"] = ["user-account"],
        ["email-message.from_ref"] = ["email-addr"],
        ["email-message.sender_ref"] = ["email-addr"],
        ["email-message.to_refs"] = ["email-addr"],
        ["email-message.cc_refs"] = ["email-addr"],
        ["email-message.bcc_refs"] = ["email-addr"],
        ["email-message.raw_email_ref"] = ["artifact"],
        ["email-mime-part-type.body_raw_ref"] = ["artifact", "file"],
        ["file.parent_directory_ref"] = ["directory"],
        ["file.contains_refs"] = [AnyObservable, AnyCustom],
        ["file.content_ref"] = ["artifact"],
        ["archive-ext.contains_refs"] = ["file", "directory"],
        ["ipv4-addr.resolves_to_refs"] = ["mac-addr"],
        ["ipv4-addr.belongs_to_refs"] = ["autonomous-system"],
        ["ipv6-addr.resolves_to_refs"] = ["mac-addr"],
        ["ipv6-addr.belongs_to_refs"] = ["autonomous-system"],
        ["network-traffic.src_ref"] = Addresses,
        ["network-traffic.dst_ref"] = Addresses,
        ["network-traffic.src_payload_ref"] = ["artifact"],
        ["network-traffic.dst_payload_ref"] = ["artifact"],
        ["network-traffic.encapsulates_refs"] = ["network-traffic"],
        ["network-traffic.encapsulated_by_ref"] = ["network-traffic"],
        ["http-request-ext.message_body_data_ref"] = ["artifact"],
        ["process.opened_connection_refs"] = ["network-traffic"],
        ["process.creator_user_ref"] = ["user-account"],
        ["process.image_ref"] = ["file"],
        ["process.parent_ref"] = ["process"],
        ["process.child_refs"] = ["process"],
        ["windows-service-ext.service_dll_refs"] = ["file"],
        ["windows-registry-key.creator_user_ref"] = ["user-account"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static FrozenDictionary<string, Vocabulary> Vocabularies { get; } = new Dictionary<string, Vocabulary>(StringComparer.Ordinal)
    {
        ["grouping.context"] = Vocabulary.GroupingContext,
        ["identity.identity_class"] = Vocabulary.IdentityClass,
        ["identity.sectors"] = Vocabulary.IndustrySector,
        ["indicator.indicator_types"] = Vocabulary.IndicatorType,
        ["indicator.pattern_type"] = Vocabulary.PatternType,
        ["infrastructure.infrastructure_types"] = Vocabulary.InfrastructureType,
        ["*.resource_level"] = Vocabulary.AttackResourceLevel,
        ["*.primary_motivation"] = Vocabulary.AttackMotivation,
        ["*.secondary_motivations"] = Vocabulary.AttackMotivation,
        ["*.personal_motivations"] = Vocabulary.AttackMotivation,
        ["location.region"] = Vocabulary.Region,
        ["malware.malware_types"] = Vocabulary.MalwareType,
        ["malware.architecture_execution_envs"] = Vocabulary.ProcessorArchitecture,
        ["malware.implementation_languages"] = Vocabulary.ImplementationLanguage,
        ["malware.capabilities"] = Vocabulary.MalwareCapabilities,
        ["malware-analysis.result"] = Vocabulary.MalwareResult,
        ["opinion.opinion"] = Vocabulary.Opinion,
        ["report.report_types"] = Vocabulary.ReportType,
        ["threat-actor.threat_actor_types"] = Vocabulary.ThreatActorType,
        ["threat-actor.roles"] = Vocabulary.ThreatActorRole,
        ["threat-actor.sophistication"] = Vocabulary.ThreatActorSophistication,
        ["tool.tool_types"] = Vocabulary.ToolType,
        ["marking-definition.definition_type"] = Vocabulary.MarkingDefinitionType,
        ["extension-definition.extension_types"] = Vocabulary.ExtensionType,
        ["artifact.encryption_algorithm"] = Vocabulary.EncryptionAlgorithm,
        ["user-account.account_type"] = Vocabulary.AccountType,
        ["windows-pebinary-ext.pe_type"] = Vocabulary.WindowsPEBinaryType,
        ["socket-ext.address_family"] = Vocabulary.SocketAddressFamily,
        ["socket-ext.socket_type"] = Vocabulary.SocketType,
        ["windows-process-ext.integrity_level"] = Vocabulary.WindowsIntegrityLevel,
        ["windows-service-ext.start_type"] = Vocabulary.WindowsServiceStartType,
        ["windows-service-ext.service_type"] = Vocabulary.WindowsServiceType,
        ["windows-service-ext.service_status"] = Vocabulary.WindowsServiceStatus,
        ["windows-registry-value-type.data_type"] = Vocabulary.WindowsRegistryDataType,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The object types each predefined SCO extension belongs on.</summary>
    public static FrozenDictionary<string, string> ExtensionOwners { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["archive-ext"] = "file",
        ["ntfs-ext"] = "file",
        ["pdf-ext"] = "file",
        ["raster-image-ext"] = "file",
        ["windows-pebinary-ext"] = "file",
        ["http-request-ext"] = "network-traffic",
        ["icmp-ext"] = "network-traffic",
        ["socket-ext"] = "network-traffic",
        ["tcp-ext"] = "network-traffic",
        ["windows-process-ext"] = "process",
        ["windows-service-ext"] = "process",
        ["unix-account-ext"] = "user-account",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<(string, string), string[]> RefTargetsByPair = ByPair(RefTargets);
    private static readonly FrozenDictionary<(string, string), Vocabulary> VocabulariesByPair = ByPair(Vocabularies);

    /// <summary>What a reference of <paramref name="owner"/> may point at, or null when the spec does not say.</summary>
    public static string[]? RefTargetsOf(string owner, string property) => Lookup(RefTargetsByPair, owner, property);

    /// <summary>The vocabulary a property of <paramref name="owner"/> draws from, or null.</summary>
    public static Vocabulary? VocabularyOf(string owner, string property) => Lookup(VocabulariesByPair, owner, property);

    // Keyed by pair so the validator's hot path looks up every string property without building a key string.
    private static T? Lookup<T>(FrozenDictionary<(string, string), T> table, string owner, string property)
        where T : class =>
        table.GetValueOrDefault((owner, property)) ?? table.GetValueOrDefault(("*", property));

    private static FrozenDictionary<(string, string), T> ByPair<T>(FrozenDictionary<string, T> table) =>
        table.ToFrozenDictionary(p => (p.Key[..p.Key.IndexOf('.')], p.Key[(p.Key.IndexOf('.') + 1)..]), p => p.Value);
}
