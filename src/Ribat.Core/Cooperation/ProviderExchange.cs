using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cooperation;

/// <summary>The provider knowledge base as exchanged between users and, later, nodes: a versioned list of entries.</summary>
public sealed record ProviderDocument(string Format, IReadOnlyList<ProviderInput> Providers)
{
    public const string CurrentFormat = "ribat-providers/1";
}

/// <summary>
/// Exports the provider knowledge base as a <see cref="ProviderDocument"/> and imports one. An import is checked
/// whole first: any bad entry refuses the file, naming each (<c>providers[3].country</c>), and nothing is written.
/// Entries are matched by name; a new one is added, a different one is changed (the knowledge base is kept by
/// every organisation that sends requests), an equal one is left alone. Turnaround figures are never exchanged.
/// </summary>
public sealed class ProviderExchange(SharingAccess sharing, AuditTrail audit, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { MaxDepth = 8 };

    public async Task<Result<ProviderDocument>> ExportAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var rows = await session.Db.ProviderProfiles.AsNoTracking().OrderBy(p => p.Name).Take(ProviderKnowledge.MaxEntries).ToListAsync(cancellationToken);
        return new ProviderDocument(ProviderDocument.CurrentFormat, rows.Select(p =>
            new ProviderInput(p.Name, p.Country, p.Kind.Spell(), p.LegalBasis, p.DataTypes, p.Retention, p.EmergencyContact, p.RequestChannel, p.Notes)).ToList());
    }

    public async Task<Result<ImportSummary>> ImportAsync(Actor actor, Stream json, CancellationToken cancellationToken = default)
    {
        if (ProviderKnowledge.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        ProviderDocument? document;
        try
        {
            document = await JsonSerializer.DeserializeAsync<ProviderDocument>(json, Json, cancellationToken);
        }
        catch (JsonException ex)
        {
            return Error.Validation("file", $"The file is not a provider knowledge base document: {ex.Message}");
        }

        if (document?.Format != ProviderDocument.CurrentFormat || document.Providers is null)
        {
            return Error.Validation("format", $"The file's format is '{document?.Format}', not '{ProviderDocument.CurrentFormat}' with a list of providers.");
        }

        if (document.Providers.Count > ProviderKnowledge.MaxEntries)
        {
            return Error.Validation("providers", $"A file holds at most {ProviderKnowledge.MaxEntries} providers.");
        }

        var v = new Validation();
        var entries = new List<ProviderKnowledge.Checked>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < document.Providers.Count; i++)
        {
            var prefix = $"providers[{i}].";
            var entry = ProviderKnowledge.Check(document.Providers[i] ?? new ProviderInput(null, null), prefix, v);
            if (entry is not null && !names.Add(entry.Name))
            {
                v.Add($"{prefix}name", $"'{entry.Name}' appears twice in the file.");
            }

            if (entry is not null)
            {
                entries.Add(entry);
            }
        }

        if (!v.IsValid)
        {
            return v.ToError();
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var existing = await session.Db.ProviderProfiles.Where(p => names.Contains(p.Name)).ToDictionaryAsync(p => p.Name, StringComparer.Ordinal, cancellationToken);
        if (await session.Db.ProviderProfiles.CountAsync(cancellationToken) + entries.Count(e => !existing.ContainsKey(e.Name)) > ProviderKnowledge.MaxEntries)
        {
            return Error.Validation("providers", $"The knowledge base holds at most {ProviderKnowledge.MaxEntries} providers.");
        }

        var now = clock.GetUtcNow();
        var (added, changed, unchanged) = (0, 0, 0);
        var written = new List<ProviderProfile>();
        foreach (var entry in entries)
        {
            if (!existing.TryGetValue(entry.Name, out var row))
            {
                row = new ProviderProfile { Id = Guid.CreateVersion7(), Name = entry.Name, Country = entry.Country };
                entry.ApplyTo(row, actor.OrganisationId!.Value, now);
                session.Db.ProviderProfiles.Add(row);
                written.Add(row);
                added++;
            }
            else if (!entry.Matches(row))
            {
                entry.ApplyTo(row, actor.OrganisationId!.Value, now);
                written.Add(row);
                changed++;
            }
            else
            {
                unchanged++;
            }
        }

        audit.Add(session.Db, actor, AuditEvents.ProvidersImported, actor.OrganisationId, "provider", null, new { added, changed, unchanged });
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var row in written)
        {
            // Partner nodes' knowledge bases follow each entry added or changed.
            await PartnerProviders.WriteAsync(session.Db, row, session.LocalNode, clock, cancellationToken);
        }

        await session.Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ImportSummary(added, changed, unchanged);
    }
}
