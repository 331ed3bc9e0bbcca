using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cooperation;

/// <summary>
/// The paper form of a request, for authorities that still need one: a PDF of everything the request says, printed
/// for a party to it. Printing reads the facts and identifiers of people, so it is audited as a read.
/// </summary>
public sealed class PrintRequestForm(SharingAccess sharing, AuditTrail audit, TimeProvider clock)
{
    /// <param name="text">The form's labels in the reader's language, by key of the UI's string tables.</param>
    public async Task<Result<byte[]>> HandleAsync(Actor actor, Guid id, Func<string, string> text, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await session.Db.CooperationRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The request");
        }

        var now = clock.GetUtcNow();
        var request = (await CooperationRules.ToDtosAsync(session, actor, [row], now, details: true, cancellationToken))[0];
        var pdf = RequestFormDocument.Render(request, text, now);
        await audit.WriteAsync(actor, AuditEvents.RequestFormPrinted, session.Organisation?.Id, CooperationRules.TargetType, row.Id.ToString(), new { bytes = pdf.Length }, cancellationToken);
        return pdf;
    }
}
