using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;
using Ribat.Stix.Serialization;

namespace Ribat.Core.Federation;

public sealed record ExportStixRequest(string? Type = null, bool ShareableOnly = false, bool AllVersions = false);

public sealed record ExportStixOutcome(int Written, int Withheld);

/// <summary>
/// Exports the STIX objects the actor may see as one bundle: the newest version of each (or every version), in the
/// order they were added, each exactly as stored. With <see cref="ExportStixRequest.ShareableOnly"/> only objects the
/// actor may pass on leave. Ribat's extension definition and its author are added when an object uses them.
/// </summary>
public sealed class ExportStix(SharingAccess sharing, AuditTrail audit, TimeProvider clock)
{
    public const int MaxObjects = 1_000_000;
    private const int PageSize = 1_000;

    public Task<Result<ExportStixOutcome>> HandleAsync(Actor actor, ExportStixRequest request, Stream output, CancellationToken cancellationToken = default) =>
        HandleAsync(actor, request, _ => output, cancellationToken);

    /// <summary><paramref name="open"/> is called after every check, before the first byte, with the file's type and name.</summary>
    public async Task<Result<ExportStixOutcome>> HandleAsync(Actor actor, ExportStixRequest request, Func<ExportFile, Stream> open, CancellationToken cancellationToken = default)
    {
        if (request.Type is { } type && (type.Length is 0 or > 250 || type.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))))
        {
            return Error.Validation("type", $"'{type}' is not a STIX type (lower-case letters, digits and hyphens).");
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (session.Organisation is not { } organisation)
        {
            return Error.Forbidden("STIX objects are exported for an organisation; this actor has none.");
        }

        // Both places versions live (ADR 0017), through the viewer's visibility.
        var scope = new VersionScope(session.Db.StixObjects.AsNoTracking(), session.Db.Indicators.AsNoTracking(), session.Db);
        IReadOnlyList<string>? types = request.Type is { } only ? [only] : null;
        if (await StoredVersions.CountAsync(scope, types, after: null, cancellationToken) > MaxObjects)
        {
            return Error.Validation("type", $"More than {MaxObjects:N0} objects match; export one type at a time.");
        }

        var stream = open(new ExportFile("application/stix+json;version=2.1", $"ribat-stix-{clock.GetUtcNow().ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture)}.json"));
        var written = 0;
        var withheld = 0;
        var usesExtension = false;
        await using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { SkipValidation = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "bundle");
            writer.WriteString("id", $"bundle--{Guid.NewGuid():D}");
            writer.WriteStartArray("objects");
            var query = new StixObjectQuery(null, PageSize, null, types, request.AllVersions ? VersionMatch.Every : VersionMatch.LastOnly, null);
            while (true)
            {
                var (rows, more) = await StoredVersions.PageAsync(session.Db, scope, query, session.LocalNode, withJson: true, cancellationToken);
                var grants = request.ShareableOnly ? await session.GrantsAsync(rows.Select(r => r.Id).ToList(), cancellationToken) : [];
                foreach (var row in rows)
                {
                    if (request.ShareableOnly && !session.Decide(row, grants).MayReshare)
                    {
                        withheld++;
                        continue;
                    }

                    writer.WriteRawValue(row.Json, skipInputValidation: true);
                    usesExtension |= row.StixId != RibatStixExtension.Id && row.Json.Contains(RibatStixExtension.Id, StringComparison.Ordinal);
                    written++;
                }

                await writer.FlushAsync(cancellationToken);
                if (!more)
                {
                    break;
                }

                query = query with { After = rows[^1].DateAdded };
            }

            if (usesExtension)
            {
                // Serialising into the writer would flush it synchronously to the response; raw bytes wait for the async flush.
                writer.WriteRawValue(StixSerializer.WriteObject(RibatStixExtension.Author()), skipInputValidation: true);
                writer.WriteRawValue(StixSerializer.WriteObject(RibatStixExtension.Definition()), skipInputValidation: true);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        await audit.WriteAsync(actor, AuditEvents.StixExported, organisation.Id, "stix-bundle", null,
            new { written, withheld, type = request.Type, request.ShareableOnly, request.AllVersions }, cancellationToken);
        return new ExportStixOutcome(written, withheld);
    }

    /// <summary>The export as bytes, for callers that need it whole (tests, the CLI writing a file).</summary>
    public async Task<Result<byte[]>> ToBytesAsync(Actor actor, ExportStixRequest request, CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        var outcome = await HandleAsync(actor, request, buffer, cancellationToken);
        return outcome.Error is { } error ? error : buffer.ToArray();
    }
}
