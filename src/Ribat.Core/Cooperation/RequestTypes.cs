using Ribat.Core.Common;

namespace Ribat.Core.Cooperation;

public enum RequestType
{
    /// <summary>Expedited preservation of stored computer data (Budapest Convention Art. 29).</summary>
    Preservation,

    /// <summary>Expedited disclosure of preserved traffic data (Art. 30), following a preservation.</summary>
    Disclosure,

    /// <summary>Mutual legal assistance: production of stored data, search and seizure (Arts. 25, 31).</summary>
    MutualAssistance,

    /// <summary>Subscriber information (Second Additional Protocol, Arts. 7 and 8).</summary>
    SubscriberInformation,

    /// <summary>Domain name registration information (Second Additional Protocol, Art. 6).</summary>
    DomainRegistration,

    /// <summary>Emergency: an imminent risk to the life or safety of a person (Second Additional Protocol, Arts. 9 and 10).</summary>
    Emergency,

    /// <summary>Technical assistance or advice between 24/7 points of contact (Art. 35).</summary>
    TechnicalAssistance,
}

/// <summary>One field of a request form: its name on the wire and whether the type requires it.</summary>
public sealed record FormField(string Name, bool Required, int MaxLength = 10_000);

/// <summary>
/// Each request type's form. Field names are the wire names of <see cref="RequestInput.Fields"/>; the UI labels them
/// through <c>request.field.{name}</c>. Art. 29(2) (a)–(f) are the preservation form's six required parts.
/// </summary>
public static class RequestForms
{
    public const string RequestingAuthority = "requestingAuthority";
    public const string Facts = "facts";
    public const string DataToPreserve = "dataToPreserve";
    public const string Custodian = "custodian";
    public const string Necessity = "necessity";
    public const string AssistanceToFollow = "assistanceToFollow";
    public const string DataRequested = "dataRequested";
    public const string Measures = "measures";
    public const string LegalBasis = "legalBasis";
    public const string Identifiers = "identifiers";
    public const string DomainName = "domainName";
    public const string Risk = "risk";
    public const string Question = "question";

    private static readonly Dictionary<RequestType, FormField[]> Forms = new()
    {
        [RequestType.Preservation] =
        [
            new(RequestingAuthority, true, 500), new(Facts, true), new(DataToPreserve, true), new(Custodian, true),
            new(Necessity, true), new(AssistanceToFollow, true),
        ],
        [RequestType.Disclosure] = [new(RequestingAuthority, true, 500), new(Facts, false), new(DataRequested, true)],
        [RequestType.MutualAssistance] =
        [
            new(RequestingAuthority, true, 500), new(Facts, true), new(Measures, true), new(DataRequested, true), new(LegalBasis, true),
        ],
        [RequestType.SubscriberInformation] =
        [
            new(RequestingAuthority, true, 500), new(Facts, true), new(Identifiers, true), new(DataRequested, false), new(LegalBasis, true),
        ],
        [RequestType.DomainRegistration] =
        [
            new(RequestingAuthority, true, 500), new(Facts, true), new(DomainName, true, 253), new(DataRequested, false), new(LegalBasis, true),
        ],
        [RequestType.Emergency] = [new(RequestingAuthority, true, 500), new(Risk, true), new(Facts, true), new(DataRequested, true)],
        [RequestType.TechnicalAssistance] = [new(Question, true), new(Facts, false)],
    };

    public static IReadOnlyList<FormField> For(RequestType type) => Forms[type];

    /// <summary>Types that name a Convention offence (every type except technical assistance).</summary>
    public static bool NeedsOffence(RequestType type) => type is not (RequestType.TechnicalAssistance or RequestType.Emergency);

    /// <summary>Which kinds of addressee a type may go to: the Protocol's direct requests reach providers and registrars.</summary>
    public static IReadOnlyList<AddresseeKind> Addressees(RequestType type) => type switch
    {
        RequestType.SubscriberInformation => [AddresseeKind.Authority, AddresseeKind.ServiceProvider],
        RequestType.DomainRegistration => [AddresseeKind.Authority, AddresseeKind.Registrar],
        _ => [AddresseeKind.Authority],
    };

    public static string Spell(this RequestType type) => type switch
    {
        RequestType.Preservation => "preservation",
        RequestType.Disclosure => "disclosure",
        RequestType.MutualAssistance => "mutual-assistance",
        RequestType.SubscriberInformation => "subscriber-information",
        RequestType.DomainRegistration => "domain-registration",
        RequestType.Emergency => "emergency",
        _ => "technical-assistance",
    };

    public static bool TryParse(string? text, out RequestType type) => Spellings.TryParse(text, Spell, out type);

    public static string Choices => string.Join(", ", Enum.GetValues<RequestType>().Select(t => t.Spell()));
}
