using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cooperation;

/// <summary>
/// Turnaround of one group of sent requests: how many were sent, acknowledged and answered, the median hours from
/// sending to acknowledgement and to the answer, and the share of deadlines missed (overdue now, or met late). For
/// requests sent to another node, also how many reached it (a verified receipt) and the median hours to get there.
/// </summary>
public sealed record TurnaroundRow(string Key, int Sent, int Acknowledged, int Answered, double? MedianHoursToAcknowledge, double? MedianHoursToAnswer, double OverdueRate, int Delivered = 0, double? MedianHoursToDeliver = null);

/// <param name="AcrossNodes">The organisation's requests sent to organisations on partner nodes, as one row.</param>
public sealed record CooperationMetrics(IReadOnlyList<TurnaroundRow> ByCountry, IReadOnlyList<TurnaroundRow> ByProvider, IReadOnlyList<TurnaroundRow> ByType, TurnaroundRow Received, TurnaroundRow AcrossNodes);

/// <summary>The organisation's cooperation figures, from the requests it sent (by requested country, provider and type) and those it received.</summary>
public sealed class ReadCooperationMetrics(SharingAccess sharing, TimeProvider clock)
{
    public async Task<Result<CooperationMetrics>> HandleAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var organisation = session.Organisation?.Id ?? Guid.Empty;
        var now = clock.GetUtcNow();
        var rows = await session.Db.CooperationRequests.AsNoTracking().Where(r => r.SentAt != null).ToListAsync(cancellationToken);
        var sent = rows.Where(r => r.OwnerOrganisationId == organisation).ToList();
        var received = rows.Where(r => r.AddressedOrganisationId == organisation).ToList();
        var providers = sent.Where(r => r.AddresseeKind != AddresseeKind.Authority).ToList();
        return new CooperationMetrics(
            sent.GroupBy(r => r.RequestedCountry).Select(g => Row(g.Key, g.ToList(), now)).OrderBy(r => r.Key).ToList(),
            providers.GroupBy(r => r.AddresseeName ?? string.Empty).Select(g => Row(g.Key, g.ToList(), now)).OrderBy(r => r.Key).ToList(),
            sent.GroupBy(r => r.Type).Select(g => Row(g.Key.Spell(), g.ToList(), now)).OrderBy(r => r.Key).ToList(),
            Row("received", received, now),
            Row("across-nodes", sent.Where(r => CooperationExchange.Crosses(r, session.LocalNode)).ToList(), now));
    }

    private static TurnaroundRow Row(string key, List<CooperationRequest> requests, DateTimeOffset now)
    {
        var toAcknowledge = requests.Where(r => r.AcknowledgedAt is not null).Select(r => (r.AcknowledgedAt!.Value - r.SentAt!.Value).TotalHours).Order().ToList();
        var toAnswer = requests.Where(r => r.AnsweredAt is not null).Select(r => (r.AnsweredAt!.Value - r.SentAt!.Value).TotalHours).Order().ToList();
        var toDeliver = requests.Where(r => r.DeliveredAt is not null).Select(r => (r.DeliveredAt!.Value - r.SentAt!.Value).TotalHours).Order().ToList();
        var clocks = requests.SelectMany(r => CooperationClocks.Of(r, now)).Where(c => c.State is not (ClockState.Running or ClockState.DueSoon or ClockState.Stopped)).ToList();
        var missed = clocks.Count(c => c.State is ClockState.Overdue or ClockState.MetLate);
        return new TurnaroundRow(key, requests.Count, toAcknowledge.Count, toAnswer.Count, Metrics.Median(toAcknowledge), Metrics.Median(toAnswer),
            clocks.Count == 0 ? 0 : Math.Round((double)missed / clocks.Count, 3), toDeliver.Count, Metrics.Median(toDeliver));
    }
}
