using Ribat.Core.Cases.Joint;

namespace Ribat.Api;

/// <summary>
/// Joint investigations over <c>/api/v1/joint-investigations</c>: the cases a partner node leads with the caller's
/// organisation in the team, those the caller's organisation leads with partners elsewhere, and the entries the team
/// writes for each other. A joint investigation the caller's organisation is not part of answers 404.
/// </summary>
internal static class JointInvestigationsApi
{
    private const string Prefix = RibatApi.Prefix;

    public static void MapJointInvestigationsApi(this RouteGroupBuilder api)
    {
        var joint = api.MapGroup("/joint-investigations").WithTags("Joint investigations").WithBodyLimit(RequestBodies.Small);
        joint.MapGet("/", async (HttpContext http, ReadJointInvestigations handler, CancellationToken ct) =>
                (await handler.ListAsync(http.Actor(), ct)).ToHttp(TypedResults.Ok))
            .WithSummary("The joint investigations of the caller's organisation, newest change first: `role` partner (led on a partner node) or lead.")
            .Produces<IReadOnlyList<JointCaseSummaryDto>>();
        joint.MapGet("/{id}", async (HttpContext http, Guid id, ReadJointInvestigations handler, CancellationToken ct) =>
                (await handler.GetAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("One joint investigation: the case header, its members, its evidence items (name, size, hashes, custody state; never the files) and the team's entries.")
            .WithDescription("Reading it is audited (546). `mayWrite` says whether the caller may write entries.")
            .Produces<JointInvestigationDto>().ProducesProblem(StatusCodes.Status404NotFound);
        joint.MapPost("/{id}/entries", async (HttpContext http, Guid id, JointEntryInput input, WriteJointEntry handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(e => TypedResults.Created($"{Prefix}/joint-investigations/{id}/entries/{e.Id}", e)))
            .WithSummary("Write an entry for the whole team: `kind` timeline (with `occurredAt`, when it happened), note, or task (`occurredAt` its due date, optional); `text`.")
            .WithDescription("It goes to every other member organisation under the case's TLP and handling codes. On the lead's node the case team writes; " +
                "on a partner's node its investigators, analysts and org admins. 409 when the case is closed or your organisation was removed from the team.")
            .Produces<JointEntryDto>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        joint.MapPut("/{id}/entries/{entryId}", async (HttpContext http, Guid id, Guid entryId, JointEntryInput input, WriteJointEntry handler, CancellationToken ct) =>
                (await handler.ChangeAsync(http.Actor(), id, entryId, input, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Change an entry your organisation wrote; the other members receive the new version. Another organisation's entry is 403.")
            .Produces<JointEntryDto>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }
}
