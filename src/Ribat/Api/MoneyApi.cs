using Ribat.Core.Cases.Money;

namespace Ribat.Api;

/// <summary>
/// Transaction exports of a case read into its money flows, over <c>/api/v1/cases/{id}/evidence/{evidenceId}/money</c>:
/// the column-mapping step (a preview that stores nothing) and the import. Only the organisation owning the case
/// reads its exports; a case the caller may not see answers 404.
/// </summary>
internal static class MoneyApi
{
    private const string Mapping =
        "Body: `from`, `to`, `amount` and optionally `currency`, `date`, `transactionId`, each a column of the export's header; a role left out takes " +
        "the column the header names suggest, an empty optional role means no such column. `defaultCurrency` is the currency of rows that name none.";

    public static void MapMoneyApi(this RouteGroupBuilder api)
    {
        var money = api.MapGroup("/cases/{id}/evidence/{evidenceId}/money").WithTags("Money flows").WithBodyLimit(RequestBodies.Small);
        money.MapPost("/preview", async (HttpContext http, Guid id, Guid evidenceId, MoneyMappingInput? input, PreviewMoneyImport handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, evidenceId, input, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Read an evidence item as a transaction export (CSV) with a column mapping: its header, first rows, the guessed mapping, the flows an import would store and the rows it would refuse.")
            .WithDescription(Mapping + " Nothing is stored. `problem` says why nothing could be mapped, or which limit (rows, accounts, flows) the export passes.")
            .Produces<MoneyPreviewDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        money.MapPost("/import", async (HttpContext http, Guid id, Guid evidenceId, MoneyMappingInput? input, ImportMoneyFlows handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, evidenceId, input, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Import a transaction export into the case's money flows: accounts and wallets become subjects (or are the subjects the case holds), flows are stored with their totals.")
            .WithDescription(Mapping + " Importing the same item again replaces its flows. Refused rows are left out and listed; an export passing a limit, " +
                "or of which no row can be read, stores nothing. The item's custody log records the analysis.")
            .Produces<MoneyImportDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }
}
