using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Cases;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cooperation;

public sealed record ProvisionDto(Guid Id, string Country, string Offence, string Reference, string? Title, string? Notes, DateTimeOffset UpdatedAt);

public sealed record ProvisionInput(string? Country, string? Offence, string? Reference, string? Title = null, string? Notes = null);

/// <summary>One Convention offence in one country: its mapped provisions, or none (the mapping is missing).</summary>
public sealed record OffenceMapping(string Offence, int Article, IReadOnlyList<ProvisionView> Provisions)
{
    public bool Missing => Provisions.Count == 0;
}

public sealed record ProvisionView(Guid Id, string Reference, string? Title, string? Notes, DateTimeOffset UpdatedAt, bool MayChange);

public sealed record CountryLegislation(string Country, IReadOnlyList<OffenceMapping> Offences);

/// <summary>The catalogue as exchanged between nodes and users: a versioned list of provisions.</summary>
public sealed record LegislationDocument(string Format, IReadOnlyList<ProvisionInput> Provisions)
{
    public const string CurrentFormat = "ribat-legislation/1";
}

public sealed record ImportSummary(int Added, int Changed, int Unchanged);

/// <summary>
/// The legislation catalogue: the Convention's offence categories (Arts. 2–10, <see cref="OffenceCategories"/>) and,
/// per country, the national provisions users map to them. It ships empty: no statute is invented, and a country
/// shows where a mapping is missing. Every organisation reads it; a provision is changed or removed by the
/// organisation that recorded it.
/// </summary>
public sealed class Legislation(RibatDatabase database, AuditTrail audit, TimeProvider clock)
{
    public const int MaxImport = 5000;

    public static ProvisionDto ToDto(NationalProvision p) => new(p.Id, p.Country, p.Offence, p.Reference, p.Title, p.Notes, p.UpdatedAt);

    public async Task<Result<CountryLegislation>> CountryAsync(Actor actor, string? country, CancellationToken cancellationToken = default)
    {
        if (!Countries.TryNormalise(country, out var code))
        {
            return Error.Validation("country", $"'{country}' is not an ISO 3166-1 country code.");
        }

        await using var db = Open(actor);
        var rows = await db.NationalProvisions.AsNoTracking().Where(p => p.Country == code).OrderBy(p => p.Reference).ToListAsync(cancellationToken);
        return new CountryLegislation(code, OffenceCategories.All.Select(o => new OffenceMapping(o.Name, o.Article, rows.Where(p => p.Offence == o.Name)
            .Select(p => new ProvisionView(p.Id, p.Reference, p.Title, p.Notes, p.UpdatedAt, MayChange(actor, p))).ToList())).ToList());
    }

    public async Task<Result<ProvisionDto>> SaveAsync(Actor actor, Guid? id, ProvisionInput input, CancellationToken cancellationToken = default)
    {
        if (RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        var v = Validate(input, "", out var checkedInput);
        if (!v.IsValid)
        {
            return v.ToError();
        }

        await using var db = Open(actor);
        NationalProvision? row = null;
        if (id is { } existing)
        {
            row = await db.NationalProvisions.FirstOrDefaultAsync(p => p.Id == existing, cancellationToken);
            if (row is null)
            {
                return Error.NotFound("The provision");
            }

            if (!MayChange(actor, row))
            {
                return Error.Forbidden("A provision is changed by the organisation that recorded it; record your own reading beside it.");
            }
        }

        var (country, offence, reference) = (checkedInput.Country!, checkedInput.Offence!, checkedInput.Reference!);
        if (await db.NationalProvisions.AnyAsync(p => p.Country == country && p.Offence == offence && p.Reference == reference && p.Id != (id ?? Guid.Empty), cancellationToken))
        {
            return Error.Conflict($"{reference} is already mapped to {offence} for {country}.");
        }

        var created = row is null;
        row ??= new NationalProvision { Id = Guid.CreateVersion7(), Country = country, Offence = offence, Reference = reference };
        Apply(row, checkedInput, actor.OrganisationId!.Value, clock.GetUtcNow());
        if (created)
        {
            db.NationalProvisions.Add(row);
        }

        audit.Add(db, actor, created ? AuditEvents.ProvisionRecorded : AuditEvents.ProvisionChanged, actor.OrganisationId, "national-provision", row.Id.ToString(), new { country, offence });
        await db.SaveChangesAsync(cancellationToken);
        return ToDto(row);
    }

    public async Task<Result<bool>> RemoveAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        if (RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        await using var db = Open(actor);
        var row = await db.NationalProvisions.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The provision");
        }

        if (!MayChange(actor, row))
        {
            return Error.Forbidden("A provision is removed by the organisation that recorded it.");
        }

        db.NationalProvisions.Remove(row);
        audit.Add(db, actor, AuditEvents.ProvisionRemoved, actor.OrganisationId, "national-provision", row.Id.ToString(), new { row.Country, row.Offence });
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Every provision (of one country, or all), as the exchange document.</summary>
    public async Task<Result<LegislationDocument>> ExportAsync(Actor actor, string? country, CancellationToken cancellationToken = default)
    {
        string? code = null;
        if (!string.IsNullOrWhiteSpace(country))
        {
            if (!Countries.TryNormalise(country, out var normalised))
            {
                return Error.Validation("country", $"'{country}' is not an ISO 3166-1 country code.");
            }

            code = normalised;
        }

        await using var db = Open(actor);
        var rows = db.NationalProvisions.AsNoTracking();
        if (code is not null)
        {
            rows = rows.Where(p => p.Country == code);
        }

        var all = await rows.OrderBy(p => p.Country).ThenBy(p => p.Offence).ThenBy(p => p.Reference).ToListAsync(cancellationToken);
        return new LegislationDocument(LegislationDocument.CurrentFormat, all.Select(p => new ProvisionInput(p.Country, p.Offence, p.Reference, p.Title, p.Notes)).ToList());
    }

    /// <summary>
    /// Reads an exchange document: every entry is checked first and the whole file is refused, naming each bad entry
    /// (<c>provisions[3].offence</c>), if any is wrong. Entries already present keep their row; a new title or notes
    /// from the file changes only rows this organisation recorded.
    /// </summary>
    public async Task<Result<ImportSummary>> ImportAsync(Actor actor, Stream json, CancellationToken cancellationToken = default)
    {
        if (RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        LegislationDocument? document;
        try
        {
            document = await JsonSerializer.DeserializeAsync<LegislationDocument>(json, ImportJson, cancellationToken);
        }
        catch (JsonException ex)
        {
            return Error.Validation("file", $"The file is not a legislation document: {ex.Message}");
        }

        if (document?.Format != LegislationDocument.CurrentFormat || document.Provisions is null)
        {
            return Error.Validation("format", $"The file's format is '{document?.Format}', not '{LegislationDocument.CurrentFormat}' with a list of provisions.");
        }

        if (document.Provisions.Count > MaxImport)
        {
            return Error.Validation("provisions", $"A file holds at most {MaxImport} provisions.");
        }

        var v = new Validation();
        var entries = new List<ProvisionInput>();
        for (var i = 0; i < document.Provisions.Count; i++)
        {
            var one = Validate(document.Provisions[i] ?? new ProvisionInput(null, null, null), $"provisions[{i}].", out var entry);
            if (!one.IsValid)
            {
                foreach (var (field, messages) in one.ToError().Fields!)
                {
                    foreach (var message in messages)
                    {
                        v.Add(field, message);
                    }
                }
            }

            entries.Add(entry);
        }

        if (!v.IsValid)
        {
            return v.ToError();
        }

        await using var db = Open(actor);
        var countries = entries.Select(e => e.Country!).Distinct().ToList();
        var existing = await db.NationalProvisions.Where(p => countries.Contains(p.Country)).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var (added, changed, unchanged) = (0, 0, 0);
        foreach (var entry in entries.DistinctBy(e => (e.Country, e.Offence, e.Reference)))
        {
            var row = existing.FirstOrDefault(p => p.Country == entry.Country && p.Offence == entry.Offence && p.Reference == entry.Reference);
            if (row is null)
            {
                row = new NationalProvision { Id = Guid.CreateVersion7(), Country = entry.Country!, Offence = entry.Offence!, Reference = entry.Reference! };
                Apply(row, entry, actor.OrganisationId!.Value, now);
                db.NationalProvisions.Add(row);
                added++;
            }
            else if (MayChange(actor, row) && (row.Title != entry.Title || row.Notes != entry.Notes))
            {
                Apply(row, entry, actor.OrganisationId!.Value, now);
                changed++;
            }
            else
            {
                unchanged++;
            }
        }

        audit.Add(db, actor, AuditEvents.LegislationImported, actor.OrganisationId, "legislation", null, new { added, changed, unchanged });
        await db.SaveChangesAsync(cancellationToken);
        return new ImportSummary(added, changed, unchanged);
    }

    private static readonly JsonSerializerOptions ImportJson = new(JsonSerializerDefaults.Web) { MaxDepth = 8 };

    private static Error? RefuseWrite(Actor actor) =>
        actor.OrganisationId is null || !CooperationRoles.MayWrite(actor)
            ? Error.Forbidden("Keeping the legislation catalogue needs the liaison, investigator, prosecutor or org-admin role in an organisation.")
            : actor.RequireWrite();

    private static bool MayChange(Actor actor, NationalProvision row) =>
        row.UpdatedByOrganisationId == actor.OrganisationId && CooperationRoles.MayWrite(actor) && actor.TokenScope != TokenScope.Read;

    private RibatDbContext Open(Actor actor) =>
        database.Open(actor.OrganisationId is { } org ? TenantScope.Of(org) : actor.Scope);

    private static void Apply(NationalProvision row, ProvisionInput input, Guid organisation, DateTimeOffset now)
    {
        row.Country = input.Country!;
        row.Offence = input.Offence!;
        row.Reference = input.Reference!;
        row.Title = input.Title;
        row.Notes = input.Notes;
        row.UpdatedByOrganisationId = organisation;
        row.UpdatedAt = now;
    }

    private static Validation Validate(ProvisionInput input, string prefix, out ProvisionInput normalised)
    {
        var v = new Validation();
        if (!Countries.TryNormalise(input.Country, out var country))
        {
            v.Add(prefix + "country", $"'{input.Country}' is not an ISO 3166-1 country code.");
        }

        if (!OffenceCategories.TryParse(input.Offence, out var offence))
        {
            v.Add(prefix + "offence", $"'{input.Offence}' is not a Budapest Convention offence category ({OffenceCategories.Choices}).");
        }

        var reference = input.Reference?.Trim();
        v.Require(!string.IsNullOrEmpty(reference) && reference.Length <= 300, prefix + "reference", "A provision is cited in 1 to 300 characters (article and code).")
            .RequirePrintable(reference, prefix + "reference")
            .Require(input.Title is null || input.Title.Length <= 500, prefix + "title", "The title is at most 500 characters.")
            .RequirePrintable(input.Title, prefix + "title")
            .Require(input.Notes is null || input.Notes.Length <= 4000, prefix + "notes", "The notes are at most 4000 characters.");
        normalised = new ProvisionInput(country, offence, reference, string.IsNullOrWhiteSpace(input.Title) ? null : input.Title.Trim(), string.IsNullOrWhiteSpace(input.Notes) ? null : input.Notes.Trim());
        return v;
    }
}
