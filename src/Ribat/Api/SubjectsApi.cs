using Ribat.Core.Cases.Subjects;
using Ribat.Core.Common;

namespace Ribat.Api;

/// <summary>
/// A case's subjects, relationships and link graph over <c>/api/v1/cases/{id}</c>. They share the case's audience:
/// a case the caller may not see answers 404; one it sees as a partner answers 403 to a change.
/// </summary>
internal static class SubjectsApi
{
    private const string Prefix = RibatApi.Prefix;

    public static void MapSubjectsApi(this RouteGroupBuilder api)
    {
        var cases = api.MapGroup("/cases/{id}").WithTags("Case subjects").WithBodyLimit(RequestBodies.Small);
        cases.MapGet("/subjects", async (HttpContext http, Guid id, ReadSubjects handler, string? kind, string? q, string? cursor, int? limit, CancellationToken ct) =>
                (await handler.ListAsync(http.Actor(), id, kind, q, cursor, limit, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("The case's subjects, oldest first; filter by kind or by text in the name or value.")
            .Produces<Page<SubjectDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        cases.MapPost("/subjects", async (HttpContext http, Guid id, SubjectInput input, AddSubject handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(s => TypedResults.Created($"{Prefix}/cases/{id}/subjects/{s.Id}", s)))
            .WithSummary("Add a subject: a person, organisation or device by name, or an identifier by value, with its source.")
            .WithDescription($"Kinds: {SubjectKinds.Choices}. Identifier values are validated and stored in the intelligence store's canonical form " +
                "(`valueType` picks one of the kind's types; otherwise the first that accepts the value). Persons have `dateOfBirth` and `nationalities`, " +
                "organisations `incorporatedOn` and `nationalities` (country of registration); every kind has `aliases`, `attributes` and `notes`. " +
                "`source`: `{kind: text, text}` or `{kind: evidence|finding|report, id}`. 409 when the case already holds the value.")
            .Produces<SubjectDto>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        cases.MapGet("/subjects/{subjectId}", async (HttpContext http, Guid id, Guid subjectId, ReadSubjects handler, CancellationToken ct) =>
                (await handler.GetAsync(http.Actor(), id, subjectId, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("One subject.").Produces<SubjectDto>().ProducesProblem(StatusCodes.Status404NotFound);
        cases.MapPut("/subjects/{subjectId}", async (HttpContext http, Guid id, Guid subjectId, SubjectInput input, UpdateSubject handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, subjectId, input, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Replace a subject's content and source; its kind stays.")
            .Produces<SubjectDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        cases.MapDelete("/subjects/{subjectId}", async (HttpContext http, Guid id, Guid subjectId, RemoveSubject handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, subjectId, ct)).ToHttp(_ => TypedResults.NoContent()))
            .WithSummary("Remove a subject and every relationship it is part of.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        cases.MapPost("/subjects/from-finding", async (HttpContext http, Guid id, FindingValueInput input, SubjectsFromFindings handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(r => r.Reused
                    ? TypedResults.Ok(r)
                    : TypedResults.Created($"{Prefix}/cases/{id}/subjects/{r.Subject.Id}", r)))
            .WithSummary("Take a value a finding holds (wallet, e-mail address, IP, domain, account, phone, IBAN) into the case as a subject, with the finding as source.")
            .WithDescription("Body: `findingId`, `type`, `value`. 201 with the new subject, or 200 with the subject the case already had for that value (`reused`).")
            .Produces<FindingSubjectDto>(StatusCodes.Status201Created).Produces<FindingSubjectDto>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        cases.MapGet("/finding-values", async (HttpContext http, Guid id, Guid? evidence, SubjectsFromFindings handler, CancellationToken ct) =>
                (await handler.CandidatesAsync(http.Actor(), id, evidence, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("The values of the case's findings (of one evidence item with `evidence`) that can become subjects, each with the subject it already is.")
            .Produces<IReadOnlyList<FindingValueDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        cases.MapGet("/relationships", async (HttpContext http, Guid id, Guid? subject, ReadSubjects handler, string? cursor, int? limit, CancellationToken ct) =>
                (await handler.RelationshipsAsync(http.Actor(), id, subject, cursor, limit, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("The case's relationships, oldest first; with `subject`, those the subject is part of.")
            .Produces<Page<RelationshipDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        cases.MapPost("/relationships", async (HttpContext http, Guid id, RelationshipInput input, LinkSubjects handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(r => TypedResults.Created($"{Prefix}/cases/{id}/relationships/{r.Id}", r)))
            .WithSummary("Link two subjects of the case with a typed relationship, its source and an optional time span.")
            .WithDescription($"Kinds: {RelationshipKinds.Choices}. Body: `kind`, `fromId`, `toId`, `source`, `startedAt`, `endedAt`, `notes`. 409 when the link exists.")
            .Produces<RelationshipDto>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        cases.MapPut("/relationships/{relationshipId}", async (HttpContext http, Guid id, Guid relationshipId, RelationshipEdit input, UpdateRelationship handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, relationshipId, input, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Replace a relationship's kind, time span, notes and source; its two subjects stay.")
            .WithDescription("Body: `kind`, `source`, `startedAt`, `endedAt`, `notes` and `baseUpdatedAt`, the `updatedAt` the edit was made from. " +
                "409 when the relationship changed since (naming the newer version) or the subjects are already linked with the new kind.")
            .Produces<RelationshipDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        cases.MapPatch("/relationships/{relationshipId}", async (HttpContext http, Guid id, Guid relationshipId, System.Text.Json.Nodes.JsonObject input, UpdateRelationship handler, CancellationToken ct) =>
                (await handler.PatchAsync(http.Actor(), id, relationshipId, input, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Change some of a relationship's fields: those the body holds (an explicit null clears a time bound or the notes).")
            .WithDescription("Body: any of `kind`, `source`, `startedAt`, `endedAt`, `notes`, with `baseUpdatedAt`, the `updatedAt` the edit was made from. " +
                "409 when the relationship changed since, naming the newer version.")
            .Produces<RelationshipDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        cases.MapDelete("/relationships/{relationshipId}", async (HttpContext http, Guid id, Guid relationshipId, UnlinkSubjects handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, relationshipId, ct)).ToHttp(_ => TypedResults.NoContent()))
            .WithSummary("Remove a relationship; the subjects stay.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        cases.MapGet("/graph", async (HttpContext http, Guid id, Guid? focus, int? depth, bool? correlations, int? limit, ReadCaseGraph handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, new GraphQuery(focus, depth, correlations ?? false, limit), ct)).ToHttp(TypedResults.Ok))
            .WithSummary("The case's link graph: subjects and relationships, around `focus` to `depth` steps (default 1) or whole; with `correlations=true` the indicators the caller may see holding an identifier's value.")
            .WithDescription("Nodes carry their kind, label, value and degree (relationships in the whole case); correlation nodes and edges are marked `correlation`. " +
                "`limit` caps the subjects of one answer; `truncated` says when it was reached.")
            .Produces<CaseGraphDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }
}
