using Ribat.Core.Common;
using Ribat.Core.Indicators;
using Ribat.Core.Tenancy;
using Ribat.Forensics.Hunting;
using Ribat.Forensics.Ioc;

namespace Ribat.Core.Jobs;

/// <summary>The indicators an organisation may see in the intelligence store, as a hunt's indicator set.</summary>
public static class StoreIndicators
{
    /// <summary>
    /// Read page by page through <see cref="ReadIndicators"/> (the sharing predicate in SQL): types logs do not show,
    /// false positives, expired ones and unsuppressed warning-list matches are left out and counted.
    /// </summary>
    public static async Task<Result<(IocSetLoad Load, int LeftOut)>> LoadAsync(ReadIndicators read, Actor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var kept = new List<IocIndicator>();
        var left = 0;
        string? cursor = null;
        do
        {
            var page = await read.ListAsync(actor, new IndicatorQuery(Cursor: cursor, Limit: 500), cancellationToken);
            if (page.Error is { } failed)
            {
                return failed;
            }

            foreach (var dto in page.Value!.Items)
            {
                if (!ObservableTypeNames.TryParse(dto.Type, out var type) || !IocSet.SupportedTypes.Contains(type)
                    || dto.FalsePositive || dto.ValidUntil < now || (dto.WarningList is not null && !dto.WarningSuppressed))
                {
                    left++;
                    continue;
                }

                kept.Add(new IocIndicator(type, dto.Value, dto.Id.ToString(), dto.Comment));
            }

            cursor = page.Value.NextCursor;
        }
        while (cursor is not null);

        return (IocSet.FromIndicators(kept), left);
    }
}
