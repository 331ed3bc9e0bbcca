using System.Text.Json;
using Ribat.Core.Sharing;
using Ribat.Stix.Identifiers;
using Ribat.Stix.Model;

namespace Ribat.Core.Cases.Joint;

/// <summary>Limits and spellings of joint investigations, on the wire and at rest, and the checks both sides share.</summary>
internal static class JointRules
{
    public const string CaseType = "x-ribat-case";
    public const string EntryType = "x-ribat-case-entry";
    public const int MaxTitle = 300;
    public const int MaxName = 300;
    public const int MaxText = 20_000;
    public const int MaxCategory = 200;
    public const int MaxCategories = 20;
    public const int MaxMembers = 100;
    public const int MaxEvidence = 5000;
    public const int MaxFileName = 255;

    public static readonly string[] Statuses = ["open", "active", "suspended", "closed"];

    public static readonly string[] EvidenceStates = ["held", "in-transfer", "returned", "disposed"];

    public static string Spell(this Evidence.EvidenceState state) => state == Evidence.EvidenceState.InTransfer ? "in-transfer" : state.ToString().ToLowerInvariant();

    public static string CaseStixId(Guid caseId) => $"{CaseType}--{caseId}";

    public static string EntryStixId(Guid entryId) => $"{EntryType}--{entryId}";

    public static string Spell(this JointEntryKind kind) => kind.ToString().ToLowerInvariant();

    public static bool TryParseKind(string? text, out JointEntryKind kind) =>
        Enum.TryParse(text?.Trim(), ignoreCase: true, out kind) && Enum.IsDefined(kind) && !int.TryParse(text, out _);

    public static string Time(DateTimeOffset instant) => StixTimestamp.FromDateTime(instant.UtcDateTime, 3).ToString();

    /// <summary>One line of printable text (names, titles): no control character at all.</summary>
    public static bool IsLine(string text, int max) => text.Length > 0 && text.Length <= max && !text.Any(char.IsControl);

    /// <summary>Free text (entries): line breaks and tabs are text, every other control character is refused.</summary>
    public static bool IsText(string text, int max) =>
        !string.IsNullOrWhiteSpace(text) && text.Length <= max && !text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'));

    /// <summary>The members of a joint investigation as the wire and <see cref="JointCase.MembersJson"/> spell them.</summary>
    public sealed record Member(Guid Organisation, Guid Node, string Name);

    /// <summary>An evidence item as listed to the team: what identifies it and how its custody stands, never its content.</summary>
    public sealed record EvidenceLine(Guid Id, string Name, long Size, string Md5, string Sha1, string Sha256, DateTimeOffset Acquired, string State, int CustodyEntries);

    /// <summary>The terms an entry travels under: the case's marking and handling, addressed to every other member.</summary>
    public static SharingTerms EntryTerms(OrganisationRef writer, SharingTerms caseTerms, IEnumerable<OrganisationRef> members) =>
        new(writer, caseTerms.Tlp, caseTerms.Pap, Distribution.OrganisationOnly, caseTerms.Handling, caseTerms.HandlingConditions, caseTerms.Evaluation)
        {
            Recipients = members.Where(m => m != writer).ToHashSet(),
        };

    // ---- reading a partner's object: each reader says precisely what is wrong, or gives the value ----

    public static string? Text(JsonElement stix, string name) =>
        stix.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static bool TryId(JsonElement stix, string property, string type, out Guid id, out string? why)
    {
        id = Guid.Empty;
        var text = Text(stix, property);
        why = text is null ? $"{property} is missing"
            : !StixIdentifier.TrySplit(text, out var found, out id) || found != type ? $"{property} '{Clip(text)}' is not a {type} identifier"
            : null;
        return why is null;
    }

    public static bool TryTime(JsonElement stix, string property, bool required, out DateTimeOffset? time, out string? why)
    {
        time = null;
        why = null;
        if (!stix.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            why = required ? $"{property} is missing" : null;
            return !required;
        }

        if (value.ValueKind != JsonValueKind.String || !StixTimestamp.TryParse(value.GetString(), out var parsed, out var error))
        {
            why = $"{property} is not a STIX timestamp";
            return false;
        }

        time = new DateTimeOffset(parsed.UtcDateTime, TimeSpan.Zero);
        _ = error;
        return true;
    }

    public static string Clip(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
