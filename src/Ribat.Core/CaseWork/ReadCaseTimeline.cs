using System.Buffers.Binary;
using System.Buffers.Text;
using System.Linq.Expressions;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Evidence;
using Ribat.Core.Findings;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.CaseWork;

/// <summary>What a timeline request asks for: which kinds, which period, and where to continue.</summary>
public sealed record TimelineQuery(string? Kind = null, DateTimeOffset? From = null, DateTimeOffset? To = null, string? Cursor = null, int? Limit = null);

/// <summary>
/// A case's timeline: analyst entries, the custody steps of its evidence and the findings of its analysers, merged
/// in the order things happened. Findings are read by their common columns only (kind, title, verdict, time), so
/// a new kind of finding appears here without change. Paged by a keyset over (time, source, id), so a page is as
/// cheap deep in a long case as at its start and rows added meanwhile are neither skipped nor repeated.
/// </summary>
public sealed class ReadCaseTimeline(SharingAccess sharing)
{
    public const string Entry = "entry";
    public const string Custody = "custody";
    public const string FindingKindName = "finding";

    /// <summary>The sources in the order they are merged when two happened at the same instant.</summary>
    public static readonly IReadOnlyList<string> Kinds = [Entry, Custody, FindingKindName];

    public async Task<Result<Page<TimelineItemDto>>> PageAsync(Actor actor, Guid caseId, TimelineQuery query, CancellationToken cancellationToken = default)
    {
        var parsed = Parse(query);
        if (parsed.Error is { } invalid)
        {
            return invalid;
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (await CaseWorkRules.FindAsync(session, caseId, cancellationToken) is null)
        {
            return Error.NotFound("The case");
        }

        return await ReadAsync(session, caseId, parsed.Value!, cancellationToken);
    }

    /// <summary>The whole timeline of a case already found visible, for the court report; at most <paramref name="max"/> lines.</summary>
    internal static async Task<(IReadOnlyList<TimelineItemDto> Items, bool Truncated)> AllAsync(ContentSession session, Guid caseId, int max, CancellationToken cancellationToken)
    {
        var items = new List<TimelineItemDto>();
        Window window = new([.. Kinds], null, null, null, Cursor.MaxLimit);
        while (true)
        {
            var page = await ReadAsync(session, caseId, window, cancellationToken);
            items.AddRange(page.Items);
            if (page.NextCursor is null || items.Count >= max)
            {
                return (items.Take(max).ToList(), items.Count > max || page.NextCursor is not null);
            }

            window = window with { After = Decode(page.NextCursor) };
        }
    }

    public static TimelineItemDto ToItem(CaseTimelineEntry e) =>
        new(Entry, e.Id, e.OccurredAt, e.RecordedAt, FirstLine(e.Text), e.Text, e.AuthorName, e.Source, null, null, null, null, null);

    private sealed record Position(DateTimeOffset Time, int Rank, Guid Id);

    private sealed record Window(HashSet<string> Kinds, DateTimeOffset? From, DateTimeOffset? To, Position? After, int Limit);

    private static Result<Window> Parse(TimelineQuery query)
    {
        var v = new Validation();
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var kind in (query.Kind ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var known = Kinds.FirstOrDefault(k => k.Equals(kind, StringComparison.OrdinalIgnoreCase));
            v.Require(known is not null, "kind", $"'{kind}' is not a kind of timeline line ({string.Join(", ", Kinds)}).");
            if (known is not null)
            {
                kinds.Add(known);
            }
        }

        v.Require(query.From is null || query.To is null || query.From <= query.To, "to", "The period ends before it starts.");
        var limit = Cursor.Limit(query.Limit);
        if (limit.Error is { } badLimit)
        {
            v.Add("limit", badLimit.Message);
        }

        Position? after = null;
        if (!string.IsNullOrEmpty(query.Cursor))
        {
            after = Decode(query.Cursor);
            v.Require(after is not null, "cursor", "The cursor is not one this server issued.");
        }

        return v.IsValid
            ? new Window(kinds.Count == 0 ? [.. Kinds] : kinds, query.From, query.To, after, limit.Value)
            : v.ToError();
    }

    private static async Task<Page<TimelineItemDto>> ReadAsync(ContentSession session, Guid caseId, Window window, CancellationToken cancellationToken)
    {
        var take = window.Limit + 1;
        var lines = new List<(Position At, TimelineItemDto Item)>();
        if (window.Kinds.Contains(Entry))
        {
            const int rank = 0;
            var rows = await After(session.Db.CaseTimelineEntries.AsNoTracking().Where(e => e.CaseId == caseId), e => e.OccurredAt, e => e.Id, rank, window)
                .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).Take(take).ToListAsync(cancellationToken);
            lines.AddRange(rows.Select(e => (new Position(e.OccurredAt, rank, e.Id), ToItem(e))));
        }

        if (window.Kinds.Contains(Custody))
        {
            const int rank = 1;
            var items = session.Db.EvidenceItems.Where(i => i.CaseId == caseId).Select(i => i.Id);
            var rows = await After(session.Db.CustodyEntries.AsNoTracking().Where(e => items.Contains(e.EvidenceId)), e => e.OccurredAt, e => e.Id, rank, window)
                .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).Take(take).ToListAsync(cancellationToken);
            var ids = rows.Select(r => r.EvidenceId).Distinct().ToList();
            var names = await session.Db.EvidenceItems.AsNoTracking().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.FileName, cancellationToken);
            lines.AddRange(rows.Select(e => (new Position(e.OccurredAt, rank, e.Id), new TimelineItemDto(
                Custody, e.Id, e.OccurredAt, e.OccurredAt, e.Action.Spell(), e.Notes, e.ActorName, null, e.EvidenceId, names.GetValueOrDefault(e.EvidenceId), e.Sequence, null, null))));
        }

        if (window.Kinds.Contains(FindingKindName))
        {
            const int rank = 2;
            var rows = await After(session.Db.Findings.AsNoTracking().Where(f => f.CaseId == caseId), f => f.CreatedAt, f => f.Id, rank, window)
                .OrderBy(f => f.CreatedAt).ThenBy(f => f.Id).Take(take).ToListAsync(cancellationToken);
            var grants = (await session.GrantsAsync([.. rows.Select(r => r.Id)], cancellationToken)).ToLookup(g => g.ObjectId);
            var ids = rows.Select(r => r.EvidenceId).Distinct().ToList();
            var names = await session.Db.EvidenceItems.AsNoTracking().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.FileName, cancellationToken);
            lines.AddRange(rows.Where(f => session.Decide(f, grants[f.Id]).MaySee).Select(f => (new Position(f.CreatedAt, rank, f.Id), new TimelineItemDto(
                FindingKindName, f.Id, f.CreatedAt, f.CreatedAt, f.Title, null, null, null, f.EvidenceId, names.GetValueOrDefault(f.EvidenceId), null, SpellKind(f.Kind), f.Verdict))));
        }

        var ordered = lines.OrderBy(l => l.At.Time).ThenBy(l => l.At.Rank).ThenBy(l => l.At.Id).ToList();
        var page = ordered.Take(window.Limit).ToList();
        return new Page<TimelineItemDto>(page.Select(l => l.Item).ToList(), ordered.Count > window.Limit ? Encode(page[^1].At) : null);
    }

    /// <summary>Rows of one source inside the period and after the cursor, by (time, source rank, id).</summary>
    private static IQueryable<T> After<T>(IQueryable<T> rows, Expression<Func<T, DateTimeOffset>> time, Expression<Func<T, Guid>> id, int rank, Window window)
    {
        if (window.From is { } from)
        {
            rows = rows.Where(On(time, id, (t, _) => t >= from));
        }

        if (window.To is { } to)
        {
            rows = rows.Where(On(time, id, (t, _) => t <= to));
        }

        if (window.After is not { } after)
        {
            return rows;
        }

        var (at, last) = (after.Time, after.Id);
        return rank > after.Rank ? rows.Where(On(time, id, (t, _) => t >= at))
            : rank < after.Rank ? rows.Where(On(time, id, (t, _) => t > at))
            : rows.Where(On(time, id, (t, i) => t > at || (t == at && i.CompareTo(last) > 0)));
    }

    /// <summary>A test of a row's time and id, written once for every source by substituting the source's columns.</summary>
    private static Expression<Func<T, bool>> On<T>(Expression<Func<T, DateTimeOffset>> time, Expression<Func<T, Guid>> id, Expression<Func<DateTimeOffset, Guid, bool>> test)
    {
        var row = Expression.Parameter(typeof(T), "row");
        var body = new Substitute(new Dictionary<ParameterExpression, Expression>
        {
            [test.Parameters[0]] = new Substitute(new() { [time.Parameters[0]] = row }).Visit(time.Body),
            [test.Parameters[1]] = new Substitute(new() { [id.Parameters[0]] = row }).Visit(id.Body),
        }).Visit(test.Body);
        return Expression.Lambda<Func<T, bool>>(body, row);
    }

    private sealed class Substitute(Dictionary<ParameterExpression, Expression> map) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => map.TryGetValue(node, out var replacement) ? replacement : node;
    }

    private static string FirstLine(string text)
    {
        var line = text.AsSpan().Trim();
        var end = line.IndexOfAny('\r', '\n');
        line = end < 0 ? line : line[..end];
        return line.Length <= 200 ? line.ToString() : string.Concat(line[..199], "…");
    }

    /// <summary>A finding kind by its enum name in kebab case (<c>Email</c> → <c>email</c>, <c>LogHunt</c> → <c>log-hunt</c>).</summary>
    internal static string SpellKind(FindingKind kind)
    {
        var name = kind.ToString();
        var spelled = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                spelled.Append('-');
            }

            spelled.Append(char.ToLowerInvariant(name[i]));
        }

        return spelled.ToString();
    }

    private static string Encode(Position at)
    {
        Span<byte> bytes = stackalloc byte[25];
        BinaryPrimitives.WriteInt64BigEndian(bytes, at.Time.UtcTicks / 10);
        bytes[8] = (byte)at.Rank;
        at.Id.TryWriteBytes(bytes[9..], bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    private static Position? Decode(string cursor)
    {
        Span<byte> bytes = stackalloc byte[40];
        int written;
        try
        {
            if (!Base64Url.TryDecodeFromChars(cursor, bytes, out written))
            {
                return null;
            }
        }
        catch (FormatException)
        {
            return null;
        }

        var micros = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (written != 25 || bytes[8] >= Kinds.Count || micros < 0 || micros > DateTimeOffset.MaxValue.UtcTicks / 10)
        {
            return null;
        }

        return new Position(new DateTimeOffset(micros * 10, TimeSpan.Zero), bytes[8], new Guid(bytes.Slice(9, 16), bigEndian: true));
    }
}
