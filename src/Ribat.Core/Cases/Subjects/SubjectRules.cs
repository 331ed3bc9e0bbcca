using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cases.Subjects;

/// <summary>What the subject use cases share: the case they may change, checking input, sources and DTOs.</summary>
internal static class SubjectRules
{
    public const int MaxName = 300;
    public const int MaxText = 2000;
    public const int MaxNotes = 20_000;
    public const int MaxAliases = 50;
    public const int MaxNationalities = 10;
    public const int MaxAttributes = 50;
    public const int MaxAttributeKey = 100;

    /// <summary>The case, when the actor's organisation owns it, may write, and it is not closed.</summary>
    public static async Task<Result<Case>> WritableCaseAsync(ContentSession session, Actor actor, Guid caseId, CancellationToken cancellationToken)
    {
        var row = await session.Db.Cases.AsNoTracking().FirstOrDefaultAsync(c => c.Id == caseId, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The case");
        }

        if (row.OwnerOrganisationId != session.Organisation?.Id)
        {
            return Error.Forbidden("Only the organisation that owns a case changes its subjects and relationships.");
        }

        if (CaseRules.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        if (actor.UserId is null)
        {
            return Error.Forbidden("Subjects are recorded by a person of the case's organisation.");
        }

        return row.Status == CaseStatus.Closed ? Error.Conflict("The case is closed; reopen it before changing its subjects.") : row;
    }

    /// <summary>A subject's checked and canonical content, ready to apply to a row.</summary>
    public sealed record Checked(SubjectKind Kind, CanonicalIndicator? Value, Dictionary<string, string> Attributes);

    public static Checked? Validate(SubjectInput input, Validation v)
    {
        if (!SubjectKinds.TryParse(input.Kind, out var kind))
        {
            v.Add("kind", string.IsNullOrWhiteSpace(input.Kind) ? $"A subject needs a kind ({SubjectKinds.Choices})." : $"'{input.Kind}' is not a kind of subject ({SubjectKinds.Choices}).");
            return null;
        }

        CanonicalIndicator? value = null;
        if (kind.IsIdentifier())
        {
            value = Canonicalise(kind, input.Value, input.ValueType, v);
        }
        else
        {
            v.Require(string.IsNullOrWhiteSpace(input.Value) && string.IsNullOrWhiteSpace(input.ValueType), "value",
                $"A {kind.Spell()} has a name, not a value: record its accounts, phones or addresses as subjects of their own and link them.");
            v.Require(!string.IsNullOrWhiteSpace(input.Name), "name", $"A {kind.Spell()} needs a name.");
        }

        v.Require(input.Name is null || input.Name.Trim().Length <= MaxName, "name", $"The name is at most {MaxName} characters.")
            .RequirePrintable(input.Name, "name")
            .Require(input.Aliases is null || input.Aliases.Count <= MaxAliases, "aliases", $"At most {MaxAliases} aliases.")
            .Require(input.Aliases is null || input.Aliases.All(a => !string.IsNullOrWhiteSpace(a) && a.Trim().Length <= MaxName && !a.Any(char.IsControl)),
                "aliases", $"An alias is 1 to {MaxName} printable characters.")
            .Require(input.DateOfBirth is null || kind == SubjectKind.Person, "dateOfBirth", "Only a person has a date of birth.")
            .Require(input.IncorporatedOn is null || kind == SubjectKind.Organisation, "incorporatedOn", "Only an organisation has a date of incorporation.")
            .Require(input.Nationalities is null || input.Nationalities.Count == 0 || kind is SubjectKind.Person or SubjectKind.Organisation,
                "nationalities", "Only a person (nationality) or an organisation (country of registration) has countries.")
            .Require(input.Nationalities is null || input.Nationalities.Count <= MaxNationalities, "nationalities", $"At most {MaxNationalities} countries.")
            .Require(input.Notes is null || input.Notes.Length <= MaxNotes, "notes", $"The notes are at most {MaxNotes:N0} characters.")
            .Require(input.Notes is null || !input.Notes.Contains('\0'), "notes", "The notes must not contain NUL characters.");
        foreach (var country in input.Nationalities ?? [])
        {
            v.Require(Countries.TryNormalise(country, out _), "nationalities", $"'{country}' is not an ISO 3166 country code.");
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (input.Attributes is { } given)
        {
            v.Require(given.Count <= MaxAttributes, "attributes", $"At most {MaxAttributes} attributes.");
            foreach (var (key, text) in given.Take(MaxAttributes))
            {
                var name = key?.Trim() ?? string.Empty;
                if (name.Length == 0 || name.Length > MaxAttributeKey || name.Any(char.IsControl))
                {
                    v.Add("attributes", $"An attribute's name is 1 to {MaxAttributeKey} printable characters.");
                }
                else if (text is null || text.Length > MaxText || text.Contains('\0'))
                {
                    v.Add("attributes", $"The attribute '{name}' needs a value of at most {MaxText:N0} characters, without NUL.");
                }
                else
                {
                    attributes[name] = text.Trim();
                }
            }
        }

        return new Checked(kind, value, attributes);
    }

    /// <summary>
    /// The value in the intelligence store's canonical form: of the named type, or of the first of the kind's types
    /// that accepts it. The reason given is the store's own.
    /// </summary>
    private static CanonicalIndicator? Canonicalise(SubjectKind kind, string? value, string? valueType, Validation v)
    {
        var types = SubjectKinds.ValueTypesOf(kind);
        if (string.IsNullOrWhiteSpace(value))
        {
            v.Add("value", $"A subject of kind {kind.Spell()} needs a value.");
            return null;
        }

        if (!string.IsNullOrWhiteSpace(valueType))
        {
            var type = valueType.Trim().ToLowerInvariant();
            if (!types.Contains(type))
            {
                v.Add("valueType", $"A {kind.Spell()} holds a value of type {string.Join(", ", types)}, not '{valueType}'.");
                return null;
            }

            types = [type];
        }

        string? firstReason = null;
        foreach (var type in types)
        {
            if (IndicatorTypes.TryCanonicalise(type, value, out var canonical, out var reason))
            {
                return canonical;
            }

            firstReason ??= reason;
        }

        v.Add("value", types.Count == 1 ? firstReason! : $"not a valid {kind.Spell()} ({string.Join(", ", types)}): {firstReason}");
        return null;
    }

    /// <summary>The source exists and belongs to this case (evidence, finding) or is visible to the viewer (report).</summary>
    public static async Task<(SourceKind Kind, Guid? Id, string? Text)?> CheckSourceAsync(RibatDbContext db, Guid caseId, SourceInput? source, Validation v, CancellationToken cancellationToken)
    {
        if (source is null || !SourceKinds.TryParse(source.Kind, out var kind))
        {
            v.Add("source.kind", source?.Kind is null
                ? "Say where this is known from: source.kind text (with source.text), evidence, finding or report (with source.id)."
                : $"'{source.Kind}' is not a kind of source (text, evidence, finding, report).");
            return null;
        }

        var text = string.IsNullOrWhiteSpace(source.Text) ? null : source.Text.Trim();
        v.Require(text is null || text.Length <= MaxText, "source.text", $"The source's text is at most {MaxText:N0} characters.")
            .Require(text is null || !text.Contains('\0'), "source.text", "The source's text must not contain NUL characters.");
        if (kind == SourceKind.Text)
        {
            v.Require(text is not null, "source.text", "A source of kind text says where this is known from.")
                .Require(source.Id is null, "source.id", "A source of kind text has no id.");
            return (kind, null, text);
        }

        if (source.Id is not { } id)
        {
            v.Add("source.id", $"A source of kind {kind.Spell()} names the {kind.Spell()} by id.");
            return null;
        }

        var exists = kind switch
        {
            SourceKind.Evidence => await db.EvidenceItems.AnyAsync(e => e.Id == id && e.CaseId == caseId, cancellationToken),
            SourceKind.Finding => await db.Findings.AnyAsync(f => f.Id == id && f.CaseId == caseId, cancellationToken),
            _ => await db.Reports.AnyAsync(r => r.Id == id, cancellationToken),
        };
        v.Require(exists, "source.id", kind == SourceKind.Report
            ? $"There is no intelligence report {id} you may see."
            : $"The case has no {kind.Spell()} {id}.");
        return (kind, id, text);
    }

    public static void Apply(CaseSubject row, SubjectInput input, Checked content, (SourceKind Kind, Guid? Id, string? Text) source, DateTimeOffset now)
    {
        row.Kind = content.Kind;
        row.Name = string.IsNullOrWhiteSpace(input.Name) ? null : input.Name.Trim();
        row.ValueType = content.Value?.Type;
        row.Value = content.Value?.Value;
        row.Display = content.Value?.Display;
        row.ValueKey = content.Value?.ValueKey;
        row.Aliases = (input.Aliases ?? []).Select(a => a.Trim()).Distinct(StringComparer.Ordinal).ToList();
        row.DateOfBirth = input.DateOfBirth;
        row.IncorporatedOn = input.IncorporatedOn;
        row.Nationalities = (input.Nationalities ?? []).Select(c => Countries.TryNormalise(c, out var code) ? code : c).Distinct().ToList();
        row.AttributesJson = JsonSerializer.Serialize(content.Attributes);
        row.Notes = string.IsNullOrWhiteSpace(input.Notes) ? null : input.Notes.Trim();
        (row.SourceKind, row.SourceId, row.SourceText) = source;
        row.UpdatedAt = now;
    }

    /// <summary>The case's subject holding the same canonical value, if any (one per value and case).</summary>
    public static Task<CaseSubject?> HolderAsync(RibatDbContext db, Guid caseId, CanonicalIndicator value, Guid? except, CancellationToken cancellationToken) =>
        db.CaseSubjects.FirstOrDefaultAsync(s => s.CaseId == caseId && s.ValueKey == value.ValueKey && s.Value == value.Value && s.Id != except, cancellationToken);

    public static string Label(CaseSubject row) => row.Name ?? row.Display ?? row.Value ?? row.Id.ToString();

    public static SubjectDto ToDto(CaseSubject row, int relationships) => new(
        row.Id, row.CaseId, row.Kind.Spell(), Label(row), row.Name, row.ValueType, row.Value, row.Display, row.Aliases,
        row.DateOfBirth, row.IncorporatedOn, row.Nationalities,
        JsonSerializer.Deserialize<Dictionary<string, string>>(row.AttributesJson) ?? [],
        row.Notes, new SourceDto(row.SourceKind.Spell(), row.SourceId, row.SourceText), relationships, row.CreatedAt, row.UpdatedAt);

    public static async Task<List<SubjectDto>> ToDtosAsync(RibatDbContext db, List<CaseSubject> rows, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var from = await db.CaseRelationships.Where(r => ids.Contains(r.FromId)).GroupBy(r => r.FromId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var to = await db.CaseRelationships.Where(r => ids.Contains(r.ToId)).GroupBy(r => r.ToId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var counts = from.Concat(to).GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Count));
        return rows.Select(r => ToDto(r, counts.GetValueOrDefault(r.Id))).ToList();
    }

    public static RelationshipDto ToDto(CaseRelationship row, IReadOnlyDictionary<Guid, string> labels) => new(
        row.Id, row.CaseId, row.Kind, RelationshipKinds.IsSymmetric(row.Kind), row.FromId, labels.GetValueOrDefault(row.FromId) ?? row.FromId.ToString(),
        row.ToId, labels.GetValueOrDefault(row.ToId) ?? row.ToId.ToString(), row.StartedAt, row.EndedAt, row.Notes,
        new SourceDto(row.SourceKind.Spell(), row.SourceId, row.SourceText), row.CreatedAt, row.UpdatedAt);

    public static async Task<List<RelationshipDto>> ToDtosAsync(RibatDbContext db, List<CaseRelationship> rows, CancellationToken cancellationToken)
    {
        var ids = rows.SelectMany(r => new[] { r.FromId, r.ToId }).Distinct().ToList();
        var subjects = await db.CaseSubjects.AsNoTracking().Where(s => ids.Contains(s.Id)).ToListAsync(cancellationToken);
        var labels = subjects.ToDictionary(s => s.Id, Label);
        return rows.Select(r => ToDto(r, labels)).ToList();
    }
}
