using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Indicators;
using Ribat.Core.Tenancy;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests;

/// <summary>
/// Every endpoint of the route table, called by an administrator of another organisation against
/// organisation B's resources. An API endpoint without a case here, or a non-API endpoint without a
/// classification, fails the test: a new endpoint cannot slip by untested.
/// </summary>
public abstract class TenantIsolationTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    /// <summary>Endpoints outside <c>/api</c>, by pattern prefix, and why they hold no tenant data.</summary>
    private static readonly (string Prefix, bool Exact, string Reason)[] NonApi =
    [
        ("/health/", false, "liveness and readiness probes: anonymous, no tenant data"),
        ("/openapi/", false, "the API description document: no data"),
        ("/scalar/", false, "the API reference page and its scripts: no data"),
        ("/_framework/", false, "Blazor's framework scripts and its opaque-redirect helper: no data"),
        ("/_content/", false, "static files of component libraries (MudBlazor): no data"),
        ("/_blazor", false, "the Blazor Server circuit: cookie sessions; each page enforces tenancy through the same use cases (UI tests)"),
        ("/account/", false, "sign-in, sign-out and account pages: the signed-in user's own account only"),
        ("/ui/", false, "UI downloads (audit and indicator exports): cookie sessions, the same use cases as the API with the signed-in actor; the indicator export is called below"),
        ("/", true, "the home page: the signed-in user's own view (also called below as a foreign user)"),
        ("/organisations", false, "web pages: interactive and not prerendered, so their HTML carries no data; called below as a foreign user"),
        ("/users", false, "web pages: interactive and not prerendered, so their HTML carries no data; called below as a foreign user"),
        ("/tokens", true, "web page: the signed-in user's own tokens; called below as a foreign user"),
        ("/audit", true, "web page: the organisation's own audit rows; called below as a foreign user"),
        ("/profile", true, "web page: the signed-in user's own profile; called below as a foreign user"),
        ("/search", true, "web page: correlation through the sharing predicate (IndicatorStoreTests); called below as a foreign user"),
        ("/indicators", false, "web pages: indicators through the sharing predicate, not prerendered; called below as a foreign user"),
        ("/reports", false, "web pages: reports through the sharing predicate, not prerendered; called below as a foreign user"),
        ("/sharing-groups", false, "web pages: only groups the organisation owns or belongs to, not prerendered; called below as a foreign user"),
        ("/cases", false, "web pages: cases through the sharing predicate, not prerendered; called below as a foreign user"),
        ("/joint-investigations", false, "web pages: joint investigations through the sharing predicate and the same use cases as the API, not prerendered; called below as a foreign user"),
        ("/evidence", false, "web pages: evidence through the sharing predicate, not prerendered; called below as a foreign user"),
        ("/ui/evidence", false, "UI download of an evidence file: the same use case as the API download, with the signed-in actor"),
        ("/ui/cases", false, "UI downloads of a prosecution package and a court report: the same use cases as the API, with the signed-in actor"),
        ("/partners", false, "web pages: partner nodes, node administrators only (403 for anyone else); called below as a foreign user"),
        ("/directory", true, "web page: the node-wide 24/7 directory, shared by design; changes only to the user's own organisation's entries; called below as a foreign user"),
        ("/legislation", true, "web page: the node-wide legislation catalogue, reference data shared by design; called below as a foreign user"),
        ("/ui/legislation", false, "UI download of the legislation catalogue: the same use case as the API export"),
        ("/providers", true, "web page: the node-wide provider knowledge base, shared by design; turnaround from the user's own organisation's requests only"),
        ("/requests", false, "web pages: cooperation requests through the sharing predicate (sender and addressee only), not prerendered; called below as a foreign user"),
        ("/ui/requests", false, "UI downloads of a request's attachment and printable form: the same use cases as the API, with the signed-in actor"),
        ("/incidents", false, "web pages: incidents through the sharing predicate, not prerendered; called below as a foreign user"),
        ("/exercises", false, "web pages: the organisation's own exercise runs and reports through the same use cases as the API, not prerendered; called below as a foreign user"),
        ("/notifications", true, "web page: the signed-in user's own inbox and their organisation's webhooks; called below as a foreign user"),
        ("/on-call", true, "web page: the organisation's own on-call roster; called below as a foreign user"),
        ("/warning-lists", true, "web page: node-wide reference data, no tenant data; called below as a foreign user"),
        ("/{**path:file}", true, "static file fallback: serves wwwroot files only"),
        ("/taxii2", false, "the TAXII 2.1 server: API tokens, collections through the sharing predicate; called below as a foreign organisation"),
    ];

    private sealed record Scene(HttpClient Attacker, Tenant A, Tenant B, string[] Secrets, Intelligence BIntel, CaseFile BCase, IncidentFile BIncident)
    {
        /// <summary>Organisation B's preservation request, sent to a third organisation, with one attachment.</summary>
        public RequestFile BRequest { get; init; } = null!;

        /// <summary>For answers that echo what the attacker sent (a searched value, a chosen name): everything else stays secret.</summary>
        public Scene Echoing(string sent) => this with { Secrets = Secrets.Where(secret => secret != sent).ToArray() };

        /// <summary>A partner node recorded by a node administrator: node-wide configuration no organisation reaches.</summary>
        public Guid PartnerId { get; init; }

        /// <summary>Organisation B's exercise run, with the exercise incident one inject opened.</summary>
        public ExerciseFile BExercise { get; init; } = null!;
    }

    /// <summary>Organisation B's TLP:AMBER, organisation-only intelligence: an indicator in a report, its sighting, and a group.</summary>
    private sealed record Intelligence(Guid IndicatorId, string Value, Guid ReportId, string ReportTitle, Guid SightingId, Guid GroupId, string GroupName)
    {
        public string[] Secrets => [IndicatorId.ToString(), Value, ReportId.ToString(), ReportTitle, SightingId.ToString(), GroupId.ToString(), GroupName];
    }

    /// <summary>Organisation B's TLP:AMBER case with one evidence item.</summary>
    private sealed record CaseFile(Guid CaseId, string Title, Guid EvidenceId, string Sha256)
    {
        /// <summary>A capture analysis B ran on a second item of the case, and the traffic finding (with its chart) it made.</summary>
        public Guid JobId { get; init; }

        public Guid TrafficFindingId { get; init; }

        /// <summary>The case's task, note and analyst timeline entry.</summary>
        public Guid TaskId { get; init; }

        public Guid NoteId { get; init; }

        public string[] Secrets => [CaseId.ToString(), Title, EvidenceId.ToString(), Sha256, JobId.ToString(), TrafficFindingId.ToString(), TaskId.ToString(), NoteId.ToString(), "Trace the wallet", "Informant says", "Wallet moved to the mixer"];
    }

    /// <summary>Organisation B's sent cooperation request and its attachment.</summary>
    private sealed record RequestFile(Guid RequestId, string Subject, Guid AttachmentId, string Sha256, Guid DraftId, Guid ContactId, Guid ProvisionId, Guid ProviderId)
    {
        public string[] Secrets => [RequestId.ToString(), Subject, AttachmentId.ToString(), Sha256, DraftId.ToString()];
    }

    /// <summary>Organisation B's TLP:AMBER incident, worked by B alone.</summary>
    private sealed record IncidentFile(Guid IncidentId, string Title, Guid EntryId, Guid TaskId, Guid SitrepId, Guid LinkedIndicatorId, Guid WebhookId, Guid ShiftId, Guid PlaybookId)
    {
        public string[] Secrets => [IncidentId.ToString(), Title, EntryId.ToString(), TaskId.ToString(), SitrepId.ToString(), "Samples sent to the lab", WebhookId.ToString(), ShiftId.ToString(), "b-hooks.example", PlaybookId.ToString(), "Isolate SMB hosts"];
    }

    /// <summary>Organisation B's exercise run and the incident its first inject opened.</summary>
    private sealed record ExerciseFile(Guid ExerciseId, string Name, Guid IncidentId, string Title)
    {
        public string[] Secrets => [ExerciseId.ToString(), Name, IncidentId.ToString(), Title];
    }

    /// <summary>One entry per "METHOD pattern" of the API.</summary>
    private static readonly Dictionary<string, Func<Scene, Task>> Cases = new(StringComparer.Ordinal)
    {
        ["GET /api/v1/me"] = async s => await ExpectSafeAsync(s, await s.Attacker.GetAsync("/api/v1/me"), HttpStatusCode.OK),
        ["PATCH /api/v1/me/preferences"] = async s =>
            await ExpectSafeAsync(s, await s.Attacker.PatchJsonAsync("/api/v1/me/preferences", new { language = "fr", userId = s.B.Analyst.Id }), HttpStatusCode.OK),
        ["GET /api/v1/organisations"] = async s => await ExpectSafeAsync(s, await s.Attacker.GetAsync("/api/v1/organisations?limit=500"), HttpStatusCode.OK),
        ["POST /api/v1/organisations"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync("/api/v1/organisations", new { name = RibatFactory.Unique("Shadow"), country = "FR", kind = "cert" })),
        ["GET /api/v1/organisations/{id}"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/organisations/{s.B.Organisation.Id}")),
        ["PATCH /api/v1/organisations/{id}"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PatchJsonAsync($"/api/v1/organisations/{s.B.Organisation.Id}", new { contactName = "attacker" })),
        ["GET /api/v1/users"] = async s =>
        {
            await ExpectSafeAsync(s, await s.Attacker.GetAsync("/api/v1/users?limit=500"), HttpStatusCode.OK);
            await ExpectSafeAsync(s, await s.Attacker.GetAsync($"/api/v1/users?organisation={s.B.Organisation.Id}"), HttpStatusCode.OK, HttpStatusCode.Forbidden);
        },
        ["POST /api/v1/users"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync("/api/v1/users", new { organisationId = s.B.Organisation.Id, email = $"{Guid.NewGuid():N}@attacker.example", roles = new[] { "org-admin" } })),
        ["GET /api/v1/users/{id}"] = async s =>
        {
            await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/users/{s.B.Admin.Id}"));
            await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/users/{s.B.Analyst.Id}"));
        },
        ["PATCH /api/v1/users/{id}"] = async s =>
        {
            await ExpectDeniedAsync(s, await s.Attacker.PatchJsonAsync($"/api/v1/users/{s.B.Analyst.Id}", new { disabled = true }));
            await ExpectDeniedAsync(s, await s.Attacker.PatchJsonAsync($"/api/v1/users/{s.B.Admin.Id}", new { roles = new[] { "viewer" } }));
        },
        ["GET /api/v1/tokens"] = async s =>
        {
            await ExpectSafeAsync(s, await s.Attacker.GetAsync("/api/v1/tokens"), HttpStatusCode.OK);
            await ExpectSafeAsync(s, await s.Attacker.GetAsync($"/api/v1/tokens?organisation={s.B.Organisation.Id}"), HttpStatusCode.Forbidden, HttpStatusCode.NotFound);
        },
        ["POST /api/v1/tokens"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync("/api/v1/tokens", new { name = "stolen", scope = "write", userId = s.B.Admin.Id })),
        ["DELETE /api/v1/tokens/{id}"] = async s => await ExpectDeniedAsync(s, await s.Attacker.DeleteAsync($"/api/v1/tokens/{s.B.AdminTokenId}")),
        ["GET /api/v1/audit"] = async s =>
        {
            await ExpectSafeAsync(s, await s.Attacker.GetAsync("/api/v1/audit?limit=500"), HttpStatusCode.OK);
            await ExpectSafeAsync(s, await s.Attacker.GetAsync($"/api/v1/audit?limit=500&organisation={s.B.Organisation.Id}"), HttpStatusCode.OK, HttpStatusCode.Forbidden);
        },
        ["GET /api/v1/audit/export"] = async s =>
        {
            await ExpectSafeAsync(s, await s.Attacker.GetAsync("/api/v1/audit/export"), HttpStatusCode.OK);
            await ExpectSafeAsync(s, await s.Attacker.GetAsync($"/api/v1/audit/export?organisation={s.B.Organisation.Id}"), HttpStatusCode.OK, HttpStatusCode.Forbidden);
        },

        ["GET /api/v1/indicators"] = async s =>
        {
            await ExpectSafeAsync(s, await s.Attacker.GetAsync("/api/v1/indicators?limit=500"), HttpStatusCode.OK);
            await ExpectEmptyAsync(s, await s.Attacker.GetAsync($"/api/v1/indicators?reportId={s.BIntel.ReportId}&type=sha256"));
        },
        ["POST /api/v1/indicators"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync("/api/v1/indicators", new { type = "md5", value = new string('a', 32), reportId = s.BIntel.ReportId })),
        ["POST /api/v1/indicators/extract"] = async s =>
        {
            var response = await s.Attacker.PostAsJsonAsync("/api/v1/indicators/extract", new { text = $"seen {s.BIntel.Value} today" });
            await ExpectSafeAsync(s.Echoing(s.BIntel.Value), response, HttpStatusCode.OK);
            (await response.ReadJsonAsync())["rows"]![0]!["knownHolders"]!.GetValue<int>().Should().Be(0);
        },
        ["POST /api/v1/indicators/import"] = async s =>
        {
            await ExpectDeniedAsync(s, await s.Attacker.PostAsync($"/api/v1/indicators/import?format=text&reportId={s.BIntel.ReportId}", new StringContent("198.51.100.66\n")));
            await ExpectSafeAsync(s, await s.Attacker.PostAsync($"/api/v1/indicators/import?format=text&distribution=sharing-group&sharingGroupId={s.BIntel.GroupId}",
                new StringContent("198.51.100.67\n")), HttpStatusCode.BadRequest);
        },
        ["POST /api/v1/indicators/import/csv-preview"] = async s =>
            await ExpectSafeAsync(s, await s.Attacker.PostAsync("/api/v1/indicators/import/csv-preview", new StringContent("value,type\n198.51.100.68,ipv4\n")), HttpStatusCode.OK),
        ["GET /api/v1/indicators/export"] = async s =>
        {
            foreach (var format in new[] { "csv", "misp", "plain", "hosts", "suricata", "rpz" })
            {
                await ExpectSafeAsync(s, await s.Attacker.GetAsync($"/api/v1/indicators/export?format={format}&includeInactive=true"), HttpStatusCode.OK);
            }

            await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/indicators/export?format=misp&reportId={s.BIntel.ReportId}"));
        },
        ["GET /api/v1/indicators/{id}"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/indicators/{s.BIntel.IndicatorId}")),
        ["PATCH /api/v1/indicators/{id}"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PatchJsonAsync($"/api/v1/indicators/{s.BIntel.IndicatorId}", new { confidence = 0, sharing = new { tlp = "clear", distribution = "community" } })),
        ["DELETE /api/v1/indicators/{id}"] = async s => await ExpectDeniedAsync(s, await s.Attacker.DeleteAsync($"/api/v1/indicators/{s.BIntel.IndicatorId}")),
        ["GET /api/v1/indicators/{id}/sightings"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/indicators/{s.BIntel.IndicatorId}/sightings")),
        ["POST /api/v1/indicators/{id}/sightings"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/indicators/{s.BIntel.IndicatorId}/sightings", new { kind = "false-positive" })),
        ["GET /api/v1/reports"] = async s =>
        {
            await ExpectSafeAsync(s, await s.Attacker.GetAsync("/api/v1/reports?limit=500"), HttpStatusCode.OK);
            await ExpectEmptyAsync(s, await s.Attacker.GetAsync($"/api/v1/reports?q={Uri.EscapeDataString(s.BIntel.ReportTitle)}"));
        },
        ["POST /api/v1/reports"] = async s =>
            await ExpectSafeAsync(s, await s.Attacker.PostAsJsonAsync("/api/v1/reports", new { title = "Piggyback", sharing = new { distribution = "sharing-group", sharingGroupId = s.BIntel.GroupId } }),
                HttpStatusCode.BadRequest),
        ["GET /api/v1/reports/{id}"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/reports/{s.BIntel.ReportId}")),
        ["PUT /api/v1/reports/{id}"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PutAsJsonAsync($"/api/v1/reports/{s.BIntel.ReportId}", new { title = "defaced", sharing = new { tlp = "clear", distribution = "community" } })),
        ["DELETE /api/v1/reports/{id}"] = async s => await ExpectDeniedAsync(s, await s.Attacker.DeleteAsync($"/api/v1/reports/{s.BIntel.ReportId}")),
        ["GET /api/v1/reports/{id}/indicators"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/reports/{s.BIntel.ReportId}/indicators")),
        ["GET /api/v1/reports/{id}/export"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/reports/{s.BIntel.ReportId}/export?includeInactive=true")),
        ["GET /api/v1/search"] = async s =>
        {
            var response = await s.Attacker.GetAsync($"/api/v1/search?q={s.BIntel.Value}");
            await ExpectSafeAsync(s.Echoing(s.BIntel.Value), response, HttpStatusCode.OK);
            (await response.ReadJsonAsync())["values"]!.AsArray().Should().NotBeEmpty().And.AllSatisfy(v => v!["holders"]!.GetValue<int>().Should().Be(0));
        },
        ["GET /api/v1/sharing-groups"] = async s => await ExpectEmptyAsync(s, await s.Attacker.GetAsync("/api/v1/sharing-groups")),
        ["POST /api/v1/sharing-groups"] = async s =>
            await ExpectSafeAsync(s.Echoing(s.BIntel.GroupName), await s.Attacker.PostAsJsonAsync("/api/v1/sharing-groups", new { name = s.BIntel.GroupName }), HttpStatusCode.Created),
        ["GET /api/v1/sharing-groups/{id}"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/sharing-groups/{s.BIntel.GroupId}")),
        ["PUT /api/v1/sharing-groups/{id}"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PutAsJsonAsync($"/api/v1/sharing-groups/{s.BIntel.GroupId}", new { name = "joined", members = new[] { s.A.Organisation.Id } })),
        ["DELETE /api/v1/sharing-groups/{id}"] = async s => await ExpectDeniedAsync(s, await s.Attacker.DeleteAsync($"/api/v1/sharing-groups/{s.BIntel.GroupId}")),
        ["GET /api/v1/warning-lists"] = async s => await ExpectSafeAsync(s, await s.Attacker.GetAsync("/api/v1/warning-lists"), HttpStatusCode.OK),
        ["POST /api/v1/warning-lists"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsync("/api/v1/warning-lists", JsonContent.Create(new { name = "ours", version = 1, type = "string", list = new[] { s.BIntel.Value } }))),
        ["PUT /api/v1/warning-lists/{id}/enabled"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PutAsJsonAsync($"/api/v1/warning-lists/{Guid.CreateVersion7()}/enabled", new { enabled = false })),
        ["GET /api/v1/cases"] = async s =>
        {
            await ExpectSafeAsync(s, await s.Attacker.GetAsync("/api/v1/cases?limit=500"), HttpStatusCode.OK);
            await ExpectEmptyAsync(s, await s.Attacker.GetAsync($"/api/v1/cases?q={Uri.EscapeDataString(s.BCase.Title)}"));
        },
        ["POST /api/v1/cases"] = async s =>
            await ExpectSafeAsync(s.Echoing(s.B.Analyst.Id.ToString()).Echoing(s.B.Admin.Id.ToString()),
                await s.Attacker.PostAsJsonAsync("/api/v1/cases", new { title = "Piggyback", leadInvestigatorId = s.B.Analyst.Id, team = new[] { s.B.Admin.Id } }),
                HttpStatusCode.BadRequest),
        ["GET /api/v1/cases/{id}"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/cases/{s.BCase.CaseId}")),
        ["PUT /api/v1/cases/{id}"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PutAsJsonAsync($"/api/v1/cases/{s.BCase.CaseId}", new { title = "defaced", partners = new[] { s.A.Organisation.Id } })),
        ["DELETE /api/v1/cases/{id}"] = async s => await ExpectDeniedAsync(s, await s.Attacker.DeleteAsync($"/api/v1/cases/{s.BCase.CaseId}")),
        ["POST /api/v1/cases/{id}/transitions"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/cases/{s.BCase.CaseId}/transitions", new { to = "closed", reason = "sabotage" })),
        ["GET /api/v1/cases/{id}/evidence"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/cases/{s.BCase.CaseId}/evidence")),
        ["POST /api/v1/cases/{id}/evidence"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsync($"/api/v1/cases/{s.BCase.CaseId}/evidence?fileName=planted.bin", new ByteArrayContent([6, 6, 6]))),
        ["POST /api/v1/cases/{id}/package"] = async s => await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/cases/{s.BCase.CaseId}/package", new { })),
        ["GET /api/v1/cases/{id}/verification"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/cases/{s.BCase.CaseId}/verification")),
        ["GET /api/v1/evidence/{id}"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/evidence/{s.BCase.EvidenceId}")),
        ["GET /api/v1/evidence/{id}/content"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/evidence/{s.BCase.EvidenceId}/content")),
        ["GET /api/v1/evidence/{id}/custody"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/evidence/{s.BCase.EvidenceId}/custody")),
        ["POST /api/v1/evidence/{id}/custody"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/evidence/{s.BCase.EvidenceId}/custody", new { action = "transfer", toUserId = s.A.Admin.Id })),
        ["POST /api/v1/evidence/{id}/custody/acknowledge"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/evidence/{s.BCase.EvidenceId}/custody/acknowledge", new { })),
        ["GET /api/v1/evidence/{id}/verification"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/evidence/{s.BCase.EvidenceId}/verification")),
        ["POST /api/v1/evidence/{id}/analyses"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/evidence/{s.BCase.EvidenceId}/analyses", new { kind = "file" })),
        ["GET /api/v1/evidence/{id}/findings"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/evidence/{s.BCase.EvidenceId}/findings")),
        ["GET /api/v1/cases/{id}/findings"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/cases/{s.BCase.CaseId}/findings")),
        ["POST /api/v1/cases/{id}/jobs"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/cases/{s.BCase.CaseId}/jobs", new { kind = "hunt", evidenceIds = new[] { s.BCase.EvidenceId } })),
        ["GET /api/v1/cases/{id}/jobs"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/cases/{s.BCase.CaseId}/jobs")),
        ["GET /api/v1/jobs/{id}"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/jobs/{s.BCase.JobId}")),
        ["POST /api/v1/jobs/{id}/cancel"] = async s => await ExpectDeniedAsync(s, await s.Attacker.PostAsync($"/api/v1/jobs/{s.BCase.JobId}/cancel", null)),
        ["POST /api/v1/findings/{id}/indicators"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/findings/{s.BCase.TrafficFindingId}/indicators", new { incidentId = s.BIncident.IncidentId })),
        ["GET /api/v1/findings/{id}/chart"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/findings/{s.BCase.TrafficFindingId}/chart")),
        ["GET /api/v1/cases/{id}/subjects"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/cases/{s.BCase.CaseId}/subjects")),
        ["POST /api/v1/cases/{id}/subjects"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/cases/{s.BCase.CaseId}/subjects", new { kind = "person", name = "Planted", source = new { kind = "text", text = "x" } })),
        ["GET /api/v1/cases/{id}/subjects/{subjectId}"] = async s =>
        {
            var (person, _, _) = await BSubjectsAsync(s);
            await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/cases/{s.BCase.CaseId}/subjects/{person}"));
        },
        ["PUT /api/v1/cases/{id}/subjects/{subjectId}"] = async s =>
        {
            var (person, _, _) = await BSubjectsAsync(s);
            await ExpectDeniedAsync(s, await s.Attacker.PutAsJsonAsync($"/api/v1/cases/{s.BCase.CaseId}/subjects/{person}", new { name = "Defaced", source = new { kind = "text", text = "x" } }));
            (await (await AsBAsync(s, HttpMethod.Get, $"/api/v1/cases/{s.BCase.CaseId}/subjects/{person}")).ReadJsonAsync())["name"]!.GetValue<string>().Should().Be("B's suspect");
        },
        ["DELETE /api/v1/cases/{id}/subjects/{subjectId}"] = async s =>
        {
            var (person, _, _) = await BSubjectsAsync(s);
            await ExpectDeniedAsync(s, await s.Attacker.DeleteAsync($"/api/v1/cases/{s.BCase.CaseId}/subjects/{person}"));
            (await AsBAsync(s, HttpMethod.Get, $"/api/v1/cases/{s.BCase.CaseId}/subjects/{person}")).StatusCode.Should().Be(HttpStatusCode.OK);
        },
        ["POST /api/v1/cases/{id}/subjects/from-finding"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/cases/{s.BCase.CaseId}/subjects/from-finding", new { findingId = Guid.NewGuid(), type = "ipv4", value = "192.0.2.1" })),
        ["GET /api/v1/cases/{id}/finding-values"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/cases/{s.BCase.CaseId}/finding-values")),
        ["GET /api/v1/cases/{id}/relationships"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/cases/{s.BCase.CaseId}/relationships")),
        ["POST /api/v1/cases/{id}/relationships"] = async s =>
        {
            var (person, wallet, _) = await BSubjectsAsync(s);
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/cases/{s.BCase.CaseId}/relationships", new { kind = "owns", fromId = person, toId = wallet, source = new { kind = "text", text = "x" } }));
        },
        ["PUT /api/v1/cases/{id}/relationships/{relationshipId}"] = async s =>
        {
            var (_, _, link) = await BSubjectsAsync(s);
            await ExpectDeniedAsync(s, await s.Attacker.PutAsJsonAsync($"/api/v1/cases/{s.BCase.CaseId}/relationships/{link}",
                new { kind = "controls", source = new { kind = "text", text = "x" }, baseUpdatedAt = DateTimeOffset.UtcNow }));
            (await (await AsBAsync(s, HttpMethod.Get, $"/api/v1/cases/{s.BCase.CaseId}/relationships")).Content.ReadAsStringAsync()).Should().Contain("\"owns\"").And.NotContain("controls");
        },
        ["PATCH /api/v1/cases/{id}/relationships/{relationshipId}"] = async s =>
        {
            var (_, _, link) = await BSubjectsAsync(s);
            await ExpectDeniedAsync(s, await s.Attacker.PatchAsJsonAsync($"/api/v1/cases/{s.BCase.CaseId}/relationships/{link}", new { endedAt = "2020-01-01T00:00:00Z", baseUpdatedAt = DateTimeOffset.UtcNow }));
            (await (await AsBAsync(s, HttpMethod.Get, $"/api/v1/cases/{s.BCase.CaseId}/relationships")).Content.ReadAsStringAsync()).Should().NotContain("2020-01-01");
        },
        ["DELETE /api/v1/cases/{id}/relationships/{relationshipId}"] = async s =>
        {
            var (_, _, link) = await BSubjectsAsync(s);
            await ExpectDeniedAsync(s, await s.Attacker.DeleteAsync($"/api/v1/cases/{s.BCase.CaseId}/relationships/{link}"));
            (await (await AsBAsync(s, HttpMethod.Get, $"/api/v1/cases/{s.BCase.CaseId}/relationships")).Content.ReadAsStringAsync()).Should().Contain(link.ToString());
        },
        ["GET /api/v1/joint-investigations"] = async s =>
        {
            await BJointEntryAsync(s);
            var response = await s.Attacker.GetAsync("/api/v1/joint-investigations");
            await ExpectSafeAsync(s, response, HttpStatusCode.OK);
            (await response.Content.ReadFromJsonAsync<JsonArray>())!.Should().BeEmpty();
        },
        ["GET /api/v1/joint-investigations/{id}"] = async s =>
        {
            var (caseId, _) = await BJointEntryAsync(s);
            await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/joint-investigations/{caseId}"));
        },
        ["POST /api/v1/joint-investigations/{id}/entries"] = async s =>
        {
            var (caseId, _) = await BJointEntryAsync(s);
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/joint-investigations/{caseId}/entries", new { kind = "note", text = "planted" }));
            (await (await AsBAsync(s, HttpMethod.Get, $"/api/v1/joint-investigations/{caseId}")).Content.ReadAsStringAsync()).Should().NotContain("planted");
        },
        ["PUT /api/v1/joint-investigations/{id}/entries/{entryId}"] = async s =>
        {
            var (caseId, entry) = await BJointEntryAsync(s);
            await ExpectDeniedAsync(s, await s.Attacker.PutAsJsonAsync($"/api/v1/joint-investigations/{caseId}/entries/{entry}", new { kind = "note", text = "defaced" }));
            (await (await AsBAsync(s, HttpMethod.Get, $"/api/v1/joint-investigations/{caseId}")).Content.ReadAsStringAsync()).Should().Contain("Controlled delivery").And.NotContain("defaced");
        },
        ["GET /api/v1/cases/{id}/graph"] = async s =>
        {
            await BSubjectsAsync(s);
            await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/cases/{s.BCase.CaseId}/graph?correlations=true"));
        },
        ["POST /api/v1/cases/{id}/evidence/{evidenceId}/money/preview"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/cases/{s.BCase.CaseId}/evidence/{s.BCase.EvidenceId}/money/preview", new { })),
        ["POST /api/v1/cases/{id}/evidence/{evidenceId}/money/import"] = async s =>
        {
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/cases/{s.BCase.CaseId}/evidence/{s.BCase.EvidenceId}/money/import", new { from = "a", to = "b", amount = "c" }));
            var custody = await (await AsBAsync(s, HttpMethod.Get, $"/api/v1/evidence/{s.BCase.EvidenceId}/custody")).Content.ReadAsStringAsync();
            custody.Should().NotContain("transaction export", "a refused import records nothing on the item");
        },
        ["GET /api/v1/cases/{id}/tasks"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/cases/{s.BCase.CaseId}/tasks")),
        ["POST /api/v1/cases/{id}/tasks"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/cases/{s.BCase.CaseId}/tasks", new { title = "planted", assigneeUserId = s.B.Analyst.Id })),
        ["GET /api/v1/cases/{id}/tasks/{taskId}"] = async s =>
        {
            await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/cases/{s.BCase.CaseId}/tasks/{s.BCase.TaskId}"));
            await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/cases/{Guid.CreateVersion7()}/tasks/{s.BCase.TaskId}"));
        },
        ["PATCH /api/v1/cases/{id}/tasks/{taskId}"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PatchJsonAsync($"/api/v1/cases/{s.BCase.CaseId}/tasks/{s.BCase.TaskId}", new { title = "defaced", status = "cancelled" })),
        ["GET /api/v1/cases/{id}/notes"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/cases/{s.BCase.CaseId}/notes")),
        ["POST /api/v1/cases/{id}/notes"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/cases/{s.BCase.CaseId}/notes", new { title = "planted", text = "planted" })),
        ["GET /api/v1/cases/{id}/notes/{noteId}"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/cases/{s.BCase.CaseId}/notes/{s.BCase.NoteId}")),
        ["PUT /api/v1/cases/{id}/notes/{noteId}"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PutAsJsonAsync($"/api/v1/cases/{s.BCase.CaseId}/notes/{s.BCase.NoteId}", new { title = "defaced", text = "defaced", baseRevision = 1 })),
        ["GET /api/v1/cases/{id}/notes/{noteId}/revisions"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/cases/{s.BCase.CaseId}/notes/{s.BCase.NoteId}/revisions")),
        ["GET /api/v1/cases/{id}/timeline"] = async s =>
        {
            await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/cases/{s.BCase.CaseId}/timeline"));
            await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/cases/{s.BCase.CaseId}/timeline?kind=custody,finding&limit=500"));
        },
        ["POST /api/v1/cases/{id}/timeline"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/cases/{s.BCase.CaseId}/timeline", new { text = "planted", source = "attacker" })),
        ["GET /api/v1/cases/{id}/report.pdf"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/cases/{s.BCase.CaseId}/report.pdf")),
        ["GET /api/v1/cases/{id}/report.html"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/cases/{s.BCase.CaseId}/report.html")),
        ["GET /api/v1/partners"] = async s => await ExpectSafeAsync(s, await s.Attacker.GetAsync("/api/v1/partners"), HttpStatusCode.Forbidden),
        ["POST /api/v1/partners"] = async s =>
            await ExpectSafeAsync(s, await s.Attacker.PostAsJsonAsync("/api/v1/partners", Federation.PartnerApiTests<TFactory>.NewPartner()), HttpStatusCode.Forbidden),
        ["GET /api/v1/partners/identity"] = async s => await ExpectSafeAsync(s, await s.Attacker.GetAsync("/api/v1/partners/identity"), HttpStatusCode.Forbidden),
        ["GET /api/v1/partners/{id}"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/partners/{s.PartnerId}")),
        ["PATCH /api/v1/partners/{id}"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PatchJsonAsync($"/api/v1/partners/{s.PartnerId}", new { apiRoot = "https://attacker.example/taxii2/", tlpCeiling = "red" })),
        ["POST /api/v1/partners/{id}/disable"] = async s => await ExpectDeniedAsync(s, await s.Attacker.PostAsync($"/api/v1/partners/{s.PartnerId}/disable", null)),
        ["POST /api/v1/partners/{id}/enable"] = async s => await ExpectDeniedAsync(s, await s.Attacker.PostAsync($"/api/v1/partners/{s.PartnerId}/enable", null)),
        ["GET /api/v1/partners/{id}/sync"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/partners/{s.PartnerId}/sync")),
        ["POST /api/v1/partners/{id}/inbound-secret"] = async s => await ExpectDeniedAsync(s, await s.Attacker.PostAsync($"/api/v1/partners/{s.PartnerId}/inbound-secret", null)),

        ["GET /api/v1/requests"] = async s =>
        {
            foreach (var box in new[] { "", "sent", "received" })
            {
                await ExpectSafeAsync(s, await s.Attacker.GetAsync($"/api/v1/requests?limit=500&box={box}"), HttpStatusCode.OK);
            }
        },
        // Partner nodes' organisations are node-wide reference data like the directory: nothing of B is in them.
        ["GET /api/v1/partner-organisations"] = async s =>
        {
            await ExpectSafeAsync(s, await s.Attacker.GetAsync("/api/v1/partner-organisations"), HttpStatusCode.OK);
            await ExpectSafeAsync(s, await s.Attacker.GetAsync("/api/v1/partner-organisations?country=XX1"), HttpStatusCode.BadRequest);
        },
        ["GET /api/v1/contact-points"] = async s =>
        {
            // The directory is shared with every organisation of the node by design: B's name and contact are meant to be
            // seen, and so is the name of whoever is on duty at B (B's analyst, whose display name is their address).
            var response = await s.Attacker.GetAsync("/api/v1/contact-points");
            await ExpectSafeAsync(s.Echoing(s.B.Organisation.Id.ToString()).Echoing(s.B.Organisation.Name).Echoing(s.B.Analyst.DisplayName), response, HttpStatusCode.OK);
            var entry = (await response.ReadJsonAsync()).AsArray().Where(c => c!["id"]!.GetValue<Guid>() == s.BRequest.ContactId).Should().ContainSingle().Which!;
            entry["mayChange"]!.GetValue<bool>().Should().BeFalse();
            entry["onDuty"]!["name"]!.GetValue<string>().Should().Be(s.B.Analyst.DisplayName);
        },
        ["POST /api/v1/contact-points"] = async s =>
            await ExpectSafeAsync(s, await s.Attacker.PostAsJsonAsync("/api/v1/contact-points", new { name = "Mine", timeZone = "Europe/Paris", organisationId = s.B.Organisation.Id }), HttpStatusCode.Created),
        ["PUT /api/v1/contact-points/{id}"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PutAsJsonAsync($"/api/v1/contact-points/{s.BRequest.ContactId}", new { name = "Hijacked", timeZone = "Europe/Paris", email = "attacker@evil.example" })),
        ["DELETE /api/v1/contact-points/{id}"] = async s => await ExpectDeniedAsync(s, await s.Attacker.DeleteAsync($"/api/v1/contact-points/{s.BRequest.ContactId}")),
        ["GET /api/v1/legislation"] = async s => await ExpectSafeAsync(s, await s.Attacker.GetAsync("/api/v1/legislation?country=TN"), HttpStatusCode.OK),
        ["POST /api/v1/legislation"] = async s =>
            await ExpectSafeAsync(s, await s.Attacker.PostAsJsonAsync("/api/v1/legislation", new { country = "TN", offence = "illegal-interception", reference = RibatFactory.Unique("Art.") }), HttpStatusCode.Created),
        ["PUT /api/v1/legislation/{id}"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PutAsJsonAsync($"/api/v1/legislation/{s.BRequest.ProvisionId}", new { country = "TN", offence = "illegal-access", reference = "Defaced" })),
        ["DELETE /api/v1/legislation/{id}"] = async s => await ExpectDeniedAsync(s, await s.Attacker.DeleteAsync($"/api/v1/legislation/{s.BRequest.ProvisionId}")),
        ["GET /api/v1/legislation/export"] = async s => await ExpectSafeAsync(s, await s.Attacker.GetAsync("/api/v1/legislation/export"), HttpStatusCode.OK),
        ["POST /api/v1/legislation/import"] = async s =>
            await ExpectSafeAsync(s, await s.Attacker.PostAsJsonAsync("/api/v1/legislation/import", new { format = "ribat-legislation/1", provisions = new[] { new { country = "TN", offence = "misuse-of-devices", reference = "Imported" } } }),
                HttpStatusCode.OK),
        ["GET /api/v1/providers"] = async s =>
        {
            var response = await s.Attacker.GetAsync("/api/v1/providers");
            await ExpectSafeAsync(s, response, HttpStatusCode.OK);
            (await response.ReadJsonAsync()).AsArray().Single(p => p!["id"]!.GetValue<Guid>() == s.BRequest.ProviderId)!["turnaround"]!["sent"]!.GetValue<int>()
                .Should().Be(0, "B's requests to the provider are B's alone");
        },
        ["POST /api/v1/providers"] = async s =>
            await ExpectSafeAsync(s, await s.Attacker.PostAsJsonAsync("/api/v1/providers", new { name = RibatFactory.Unique("Registrar"), country = "NL", kind = "registrar" }), HttpStatusCode.Created),
        ["GET /api/v1/providers/export"] = async s =>
        {
            // The knowledge base is node-wide reference data; B's turnaround with a provider is not in it.
            var response = await s.Attacker.GetAsync("/api/v1/providers/export");
            await ExpectSafeAsync(s, response, HttpStatusCode.OK);
        },
        ["POST /api/v1/providers/import"] = async s =>
            await ExpectSafeAsync(s, await s.Attacker.PostAsJsonAsync("/api/v1/providers/import", new { format = "ribat-providers/1", providers = new[] { new { name = RibatFactory.Unique("Attacker Mail"), country = "FR" } } }), HttpStatusCode.OK),
        ["GET /api/v1/providers/{id}"] = async s =>
        {
            var response = await s.Attacker.GetAsync($"/api/v1/providers/{s.BRequest.ProviderId}");
            await ExpectSafeAsync(s, response, HttpStatusCode.OK);
            (await response.ReadJsonAsync())["turnaround"]!["sent"]!.GetValue<int>().Should().Be(0);
        },
        ["PUT /api/v1/providers/{id}"] = async s =>
            // The knowledge base is kept together by every organisation that sends requests: a change is allowed and audited.
            await ExpectSafeAsync(s, await s.Attacker.PutAsJsonAsync($"/api/v1/providers/{s.BRequest.ProviderId}", new { name = RibatFactory.Unique("Mail"), country = "DE", notes = "Portal moved" }),
                HttpStatusCode.OK),
        ["GET /api/v1/requests/metrics"] = async s =>
        {
            var response = await s.Attacker.GetAsync("/api/v1/requests/metrics");
            await ExpectSafeAsync(s, response, HttpStatusCode.OK);
            var metrics = await response.ReadJsonAsync();
            metrics["byCountry"]!.AsArray().Should().BeEmpty("B's requests are not the attacker's");
            metrics["received"]!["sent"]!.GetValue<int>().Should().Be(0);
        },
        ["GET /api/v1/requests/board"] = async s =>
        {
            await ExpectSafeAsync(s, await s.Attacker.GetAsync("/api/v1/requests/board"), HttpStatusCode.OK);
            await ExpectSafeAsync(s, await s.Attacker.GetAsync("/api/v1/requests/board?all=true"), HttpStatusCode.OK);
        },
        ["GET /api/v1/requests/reminders"] = async s => await ExpectEmptyAsync(s, await s.Attacker.GetAsync("/api/v1/requests/reminders?limit=500")),
        ["POST /api/v1/requests"] = async s =>
            await ExpectSafeAsync(s.Echoing(s.B.Organisation.Id.ToString()).Echoing(s.BRequest.RequestId.ToString()), await s.Attacker.PostAsJsonAsync("/api/v1/requests", new
            {
                type = "disclosure",
                subject = "Piggyback",
                addressedOrganisationId = s.B.Organisation.Id,
                offences = new[] { "illegal-access" },
                linkedRequestId = s.BRequest.RequestId,
                fields = new { requestingAuthority = "A", dataRequested = "traffic" },
            }), HttpStatusCode.BadRequest),
        ["GET /api/v1/requests/{id}"] = async s =>
        {
            await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/requests/{s.BRequest.RequestId}"));
            await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/requests/{s.BRequest.DraftId}"));
        },
        ["PUT /api/v1/requests/{id}"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PutAsJsonAsync($"/api/v1/requests/{s.BRequest.DraftId}", new { type = "technical-assistance", subject = "defaced", fields = new { question = "q" } })),
        ["DELETE /api/v1/requests/{id}"] = async s => await ExpectDeniedAsync(s, await s.Attacker.DeleteAsync($"/api/v1/requests/{s.BRequest.DraftId}")),
        ["POST /api/v1/requests/{id}/transitions"] = async s =>
        {
            foreach (var to in new[] { "acknowledged", "refused", "withdrawn", "sent" })
            {
                await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/requests/{s.BRequest.RequestId}/transitions", new { to, reason = "sabotage" }));
            }

            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/requests/{s.BRequest.DraftId}/transitions", new { to = "sent" }));
        },
        ["POST /api/v1/requests/{id}/extensions"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/requests/{s.BRequest.RequestId}/extensions", new { days = 365 })),
        ["POST /api/v1/requests/{id}/attachments"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsync($"/api/v1/requests/{s.BRequest.RequestId}/attachments?fileName=planted.bin", new ByteArrayContent([6, 6, 6]))),
        ["GET /api/v1/requests/{id}/form.pdf"] = async s =>
        {
            await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/requests/{s.BRequest.RequestId}/form.pdf"));
            await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/requests/{s.BRequest.DraftId}/form.pdf"));
        },
        ["GET /api/v1/requests/{id}/attachments/{attachmentId}"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/requests/{s.BRequest.RequestId}/attachments/{s.BRequest.AttachmentId}")),
        ["POST /api/v1/stix/import"] = async s =>
        {
            // A reference to B's indicator must not resolve: resolving it would tell the attacker it exists.
            var target = $"indicator--{s.BIntel.IndicatorId}";
            var bundle = $$"""
                {"type":"bundle","id":"bundle--{{Guid.NewGuid()}}","objects":[
                 {"type":"campaign","spec_version":"2.1","id":"campaign--{{Guid.NewGuid()}}","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"Probe"},
                 {"type":"relationship","spec_version":"2.1","id":"relationship--{{Guid.NewGuid()}}","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","relationship_type":"indicates","source_ref":"{{target}}","target_ref":"campaign--{{Guid.NewGuid()}}"}]}
                """;
            var response = await s.Attacker.PostAsync("/api/v1/stix/import", new StringContent(bundle, System.Text.Encoding.UTF8, "application/stix+json"));
            await ExpectSafeAsync(s.Echoing(s.BIntel.IndicatorId.ToString()), response, HttpStatusCode.OK);
            (await response.ReadJsonAsync())["missingReferences"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Contain(target);
        },
        ["GET /api/v1/stix/export"] = async s =>
        {
            // The attacker's own probe above names B's indicator id in a relationship; B's 24/7 contact, node-wide reference
            // data that the directory shows every organisation with B's id, is in the store for partner nodes; everything else of B stays out.
            var echo = s.Echoing(s.BIntel.IndicatorId.ToString()).Echoing(s.B.Organisation.Id.ToString());
            await ExpectSafeAsync(echo, await s.Attacker.GetAsync("/api/v1/stix/export?allVersions=true"), HttpStatusCode.OK);
            await ExpectSafeAsync(s, await s.Attacker.GetAsync("/api/v1/stix/export?type=indicator"), HttpStatusCode.OK);
        },
        ["GET /api/v1/incidents/taxonomy"] = async s => await ExpectSafeAsync(s, await s.Attacker.GetAsync("/api/v1/incidents/taxonomy"), HttpStatusCode.OK),
        ["GET /api/v1/incidents"] = async s =>
        {
            await ExpectSafeAsync(s, await s.Attacker.GetAsync("/api/v1/incidents?limit=500"), HttpStatusCode.OK);
            await ExpectEmptyAsync(s, await s.Attacker.GetAsync($"/api/v1/incidents?q={Uri.EscapeDataString(s.BIncident.Title)}"));
        },
        ["POST /api/v1/incidents"] = async s =>
            await ExpectSafeAsync(s, await s.Attacker.PostAsJsonAsync("/api/v1/incidents",
                new { title = "Piggyback", category = "other:other", severity = "low", sharing = new { distribution = "sharing-group", sharingGroupId = s.BIntel.GroupId } }),
                HttpStatusCode.BadRequest),
        ["GET /api/v1/incidents/{id}"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/incidents/{s.BIncident.IncidentId}")),
        ["PUT /api/v1/incidents/{id}"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PutAsJsonAsync($"/api/v1/incidents/{s.BIncident.IncidentId}", new { title = "defaced", participants = new[] { s.A.Organisation.Id } })),
        ["POST /api/v1/incidents/{id}/transitions"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/incidents/{s.BIncident.IncidentId}/transitions", new { to = "rejected", reason = "sabotage" })),
        ["POST /api/v1/incidents/{id}/acknowledge"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsync($"/api/v1/incidents/{s.BIncident.IncidentId}/acknowledge", null)),
        ["GET /api/v1/notifications"] = async s => await ExpectSafeAsync(s, await s.Attacker.GetAsync("/api/v1/notifications?limit=500"), HttpStatusCode.OK),
        ["POST /api/v1/notifications/{id}/acknowledge"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsync($"/api/v1/notifications/{Guid.CreateVersion7()}/acknowledge", null)),
        ["GET /api/v1/webhooks"] = async s => await ExpectSafeAsync(s, await s.Attacker.GetAsync("/api/v1/webhooks"), HttpStatusCode.OK),
        ["POST /api/v1/webhooks"] = async s =>
            await ExpectSafeAsync(s, await s.Attacker.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://a-hooks.example/x", organisationId = s.B.Organisation.Id }), HttpStatusCode.Created),
        ["DELETE /api/v1/webhooks/{id}"] = async s => await ExpectDeniedAsync(s, await s.Attacker.DeleteAsync($"/api/v1/webhooks/{s.BIncident.WebhookId}")),
        ["GET /api/v1/on-call"] = async s => await ExpectSafeAsync(s, await s.Attacker.GetAsync("/api/v1/on-call"), HttpStatusCode.OK),
        ["POST /api/v1/on-call"] = async s =>
            await ExpectSafeAsync(s.Echoing(s.B.Analyst.Id.ToString()), await s.Attacker.PostAsJsonAsync("/api/v1/on-call",
                new { userId = s.B.Analyst.Id, startsAt = DateTimeOffset.UtcNow, endsAt = DateTimeOffset.UtcNow.AddHours(1), timeZone = "UTC" }), HttpStatusCode.BadRequest),
        ["DELETE /api/v1/on-call/{id}"] = async s => await ExpectDeniedAsync(s, await s.Attacker.DeleteAsync($"/api/v1/on-call/{s.BIncident.ShiftId}")),
        ["GET /api/v1/playbooks"] = async s =>
        {
            await ExpectSafeAsync(s, await s.Attacker.GetAsync("/api/v1/playbooks?limit=500"), HttpStatusCode.OK);
            await ExpectEmptyAsync(s, await s.Attacker.GetAsync("/api/v1/playbooks?category=malicious-code:infected-system"));
        },
        ["POST /api/v1/playbooks"] = async s =>
            await ExpectSafeAsync(s, await s.Attacker.PostAsJsonAsync("/api/v1/playbooks",
                new { title = "Piggyback", steps = new[] { new { title = "x", role = "analyst" } }, sharing = new { distribution = "sharing-group", sharingGroupId = s.BIntel.GroupId } }),
                HttpStatusCode.BadRequest),
        ["GET /api/v1/playbooks/{id}"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/playbooks/{s.BIncident.PlaybookId}")),
        ["POST /api/v1/incidents/{id}/playbooks"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/incidents/{s.BIncident.IncidentId}/playbooks", new { playbookId = s.BIncident.PlaybookId })),
        ["GET /api/v1/exercises"] = async s =>
        {
            await ExpectEmptyAsync(s, await s.Attacker.GetAsync("/api/v1/exercises"));
            await ExpectEmptyAsync(s, await s.Attacker.GetAsync($"/api/v1/incidents?exerciseId={s.BExercise.ExerciseId}"));
        },
        ["POST /api/v1/exercises"] = async s =>
            await ExpectSafeAsync(s, await s.Attacker.PostAsJsonAsync("/api/v1/exercises", new { name = "Own drill", scenarioHash = new string('c', 64) }), HttpStatusCode.Created),
        ["POST /api/v1/exercises/play"] = async s =>
            await ExpectSafeAsync(s, await s.Attacker.PostAsJsonAsync("/api/v1/exercises/play", new
            {
                scenario = "name: Own drill\nnodes: [{ id: a, name: A, country: FR }]\norganisations: [{ id: o, node: a, name: O, country: FR, kind: cert }]\n" +
                    "injects:\n  - { at: 0m, type: email, node: a, organisation: o, subject: Drill }\n",
            }), HttpStatusCode.Created),
        ["GET /api/v1/exercises/{id}"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/exercises/{s.BExercise.ExerciseId}")),
        ["GET /api/v1/exercises/{id}/injects"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/exercises/{s.BExercise.ExerciseId}/injects")),
        ["POST /api/v1/exercises/{id}/injects"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/exercises/{s.BExercise.ExerciseId}/injects",
                new { line = 1, type = "timeline", node = "a", organisation = "o", plannedAt = DateTimeOffset.UtcNow, text = "planted" })),
        ["POST /api/v1/exercises/{id}/end"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/exercises/{s.BExercise.ExerciseId}/end", new { stopped = true })),
        ["POST /api/v1/exercises/{id}/stop"] = async s => await ExpectDeniedAsync(s, await s.Attacker.PostAsync($"/api/v1/exercises/{s.BExercise.ExerciseId}/stop", null)),
        ["GET /api/v1/exercises/{id}/report"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/exercises/{s.BExercise.ExerciseId}/report")),
        ["GET /api/v1/incidents/metrics"] = async s =>
        {
            var response = await s.Attacker.GetAsync("/api/v1/incidents/metrics");
            await ExpectSafeAsync(s, response, HttpStatusCode.OK);
            (await response.ReadJsonAsync())["openBySeverity"]!.AsArray().Sum(c => c!["count"]!.GetValue<int>()).Should().Be(0, "B's open incident is not counted for A");
        },
        ["GET /api/v1/incidents/{id}/metrics"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/incidents/{s.BIncident.IncidentId}/metrics")),
        ["GET /api/v1/incidents/{id}/timeline"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/incidents/{s.BIncident.IncidentId}/timeline")),
        ["POST /api/v1/incidents/{id}/timeline"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/incidents/{s.BIncident.IncidentId}/timeline", new { text = "planted" })),
        ["PUT /api/v1/timeline-entries/{id}"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PutAsJsonAsync($"/api/v1/timeline-entries/{s.BIncident.EntryId}", new { text = "rewritten" })),
        ["GET /api/v1/incidents/{id}/tasks"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/incidents/{s.BIncident.IncidentId}/tasks")),
        ["POST /api/v1/incidents/{id}/tasks"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/incidents/{s.BIncident.IncidentId}/tasks", new { title = "x", assigneeOrganisationId = s.A.Organisation.Id })),
        ["PATCH /api/v1/incident-tasks/{id}"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PatchJsonAsync($"/api/v1/incident-tasks/{s.BIncident.TaskId}", new { status = "cancelled" })),
        ["GET /api/v1/incidents/{id}/sitreps"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/incidents/{s.BIncident.IncidentId}/sitreps")),
        ["POST /api/v1/incidents/{id}/sitreps"] = async s => await ExpectDeniedAsync(s, await s.Attacker.PostAsync($"/api/v1/incidents/{s.BIncident.IncidentId}/sitreps", null)),
        ["GET /api/v1/sitreps/{id}"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/sitreps/{s.BIncident.SitrepId}")),
        ["PUT /api/v1/sitreps/{id}"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PutAsJsonAsync($"/api/v1/sitreps/{s.BIncident.SitrepId}", new { title = "x", body = "rewritten" })),
        ["POST /api/v1/sitreps/{id}/publish"] = async s => await ExpectDeniedAsync(s, await s.Attacker.PostAsync($"/api/v1/sitreps/{s.BIncident.SitrepId}/publish", null)),
        ["GET /api/v1/incidents/{id}/links"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/incidents/{s.BIncident.IncidentId}/links")),
        ["POST /api/v1/incidents/{id}/links"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/incidents/{s.BIncident.IncidentId}/links", new { kind = "indicator", targetId = s.BIncident.LinkedIndicatorId })),
        ["DELETE /api/v1/incidents/{id}/links/{linkId}"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.DeleteAsync($"/api/v1/incidents/{s.BIncident.IncidentId}/links/{s.BIncident.LinkedIndicatorId}")),
        ["GET /api/v1/incidents/{id}/evidence"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/incidents/{s.BIncident.IncidentId}/evidence")),
        ["POST /api/v1/incidents/{id}/evidence"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsync($"/api/v1/incidents/{s.BIncident.IncidentId}/evidence?fileName=planted.bin", new ByteArrayContent("planted"u8.ToArray()))),
        ["GET /api/v1/incidents/{id}/findings"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/incidents/{s.BIncident.IncidentId}/findings")),
        ["POST /api/v1/incidents/{id}/jobs"] = async s =>
            await ExpectDeniedAsync(s, await s.Attacker.PostAsJsonAsync($"/api/v1/incidents/{s.BIncident.IncidentId}/jobs", new { kind = "capture", evidenceIds = new[] { s.BCase.EvidenceId } })),
        ["GET /api/v1/incidents/{id}/jobs"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/incidents/{s.BIncident.IncidentId}/jobs")),
        ["GET /api/v1/incidents/{id}/networks"] = async s => await ExpectDeniedAsync(s, await s.Attacker.GetAsync($"/api/v1/incidents/{s.BIncident.IncidentId}/networks")),
    };

    /// <summary>A 200 list whose page is empty and names nothing of organisation B.</summary>
    private static async Task ExpectEmptyAsync(Scene s, HttpResponseMessage response)
    {
        await ExpectSafeAsync(s, response, HttpStatusCode.OK);
        (await response.ReadJsonAsync())["items"]!.AsArray().Should().BeEmpty();
    }

    /// <summary>A request as organisation B's analyst, on the attacker's client: the request's own credentials win over the client's.</summary>
    private static Task<HttpResponseMessage> AsBAsync(Scene s, HttpMethod method, string url, object? body = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", s.B.AnalystSecret);
        return s.Attacker.SendAsync(request);
    }

    /// <summary>B's person, wallet and the link between them, in B's case.</summary>
    private static async Task<(Guid Person, Guid Wallet, Guid Link)> BSubjectsAsync(Scene s)
    {
        var url = $"/api/v1/cases/{s.BCase.CaseId}/subjects";
        var source = new { kind = "text", text = "B's informant" };
        var person = (await (await AsBAsync(s, HttpMethod.Post, url, new { kind = "person", name = "B's suspect", source })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created))["id"]!.GetValue<Guid>();
        var wallet = (await (await AsBAsync(s, HttpMethod.Post, url, new { kind = "crypto-wallet", value = $"0x{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20))}", source }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created))["id"]!.GetValue<Guid>();
        var link = (await (await AsBAsync(s, HttpMethod.Post, $"/api/v1/cases/{s.BCase.CaseId}/relationships", new { kind = "owns", fromId = person, toId = wallet, source }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created))["id"]!.GetValue<Guid>();
        return (person, wallet, link);
    }

    /// <summary>A case of B's with a partner (an organisation named by id only), and an entry B wrote for its joint team.</summary>
    private static async Task<(Guid Case, Guid Entry)> BJointEntryAsync(Scene s)
    {
        var opened = await (await AsBAsync(s, HttpMethod.Post, "/api/v1/cases", new { title = "B's joint case", sharing = new { recipients = new[] { Guid.NewGuid() } } }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var caseId = opened["id"]!.GetValue<Guid>();
        var entry = await (await AsBAsync(s, HttpMethod.Post, $"/api/v1/joint-investigations/{caseId}/entries", new { kind = "note", text = "Controlled delivery on Friday" }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        return (caseId, entry["id"]!.GetValue<Guid>());
    }

    private static async Task ExpectDeniedAsync(Scene s, HttpResponseMessage response) =>
        await ExpectSafeAsync(s, response, HttpStatusCode.Forbidden, HttpStatusCode.NotFound);

    /// <summary>The status is one of <paramref name="allowed"/> and the body names nothing of organisation B.</summary>
    private static async Task ExpectSafeAsync(Scene s, HttpResponseMessage response, params HttpStatusCode[] allowed)
    {
        var body = await response.Content.ReadAsStringAsync();
        var request = $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri!.PathAndQuery}";
        response.StatusCode.Should().BeOneOf(allowed, $"{request} answered {body}");
        foreach (var secret in s.Secrets)
        {
            body.Should().NotContainEquivalentOf(secret, $"{request} must not reveal organisation B's data");
        }
    }

    private static string Normalise(RouteEndpoint endpoint) => "/" + endpoint.RoutePattern.RawText!.Trim('/');

    private IEnumerable<(string Key, RouteEndpoint Endpoint)> Endpoints()
    {
        _ = factory.Server;
        foreach (var endpoint in factory.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            foreach (var method in methods.Count == 0 ? ["*"] : methods.Where(m => m != "HEAD"))
            {
                yield return ($"{method} {Normalise(endpoint)}", endpoint);
            }
        }
    }

    private static string? Classify(RouteEndpoint endpoint)
    {
        var pattern = Normalise(endpoint);
        if (endpoint.Metadata.GetMetadata<StaticAssetDescriptor>() is not null)
        {
            return "a build-time static asset (file from wwwroot or a component library)";
        }

        return NonApi.FirstOrDefault(c => c.Exact ? pattern == c.Prefix : pattern.StartsWith(c.Prefix, StringComparison.Ordinal) || pattern == c.Prefix.TrimEnd('/')).Reason;
    }

    [DbFact]
    public void Every_endpoint_has_a_case_or_a_classification()
    {
        var missing = new List<string>();
        foreach (var (key, endpoint) in Endpoints())
        {
            if (Normalise(endpoint).StartsWith("/api/", StringComparison.Ordinal))
            {
                if (!Cases.ContainsKey(key))
                {
                    missing.Add($"API endpoint '{key}' has no tenant-isolation case in {nameof(TenantIsolationTests<TFactory>)}.{nameof(Cases)}");
                }
            }
            else if (Classify(endpoint) is null)
            {
                missing.Add($"endpoint '{key}' ({endpoint.DisplayName}) is neither under /api nor classified in {nameof(NonApi)}");
            }
        }

        missing.Should().BeEmpty();
        var keys = Endpoints().Select(e => e.Key).ToHashSet();
        Cases.Keys.Where(k => !keys.Contains(k)).Should().BeEmpty("every case names an endpoint that exists");
    }

    /// <summary>
    /// Every web page, fetched with a session cookie of organisation A's administrator and organisation B's ids
    /// in the route, answers without any of B's data (the data of interactive pages flows only through the
    /// circuit, from the same use cases the API cases above exercise).
    /// </summary>
    [DbFact]
    public async Task Foreign_organisation_admin_sees_nothing_of_organisation_B_in_any_web_page()
    {
        var a = await factory.CreateTenantAsync();
        var b = await factory.CreateTenantAsync();
        string[] secrets = [b.Organisation.Id.ToString(), b.Organisation.Name, b.Admin.Id.ToString(), b.Analyst.Id.ToString(), b.Admin.Email, b.Analyst.Email];
        var browser = await factory.SignedInClientAsync(a.Admin.Email);
        (await browser.GetAsync("/")).StatusCode.Should().Be(HttpStatusCode.OK, "the session is signed in, not sent back to the login page");
        var pages = Endpoints()
            .Where(e => e.Endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is not null)
            .Select(e => Normalise(e.Endpoint))
            .Where(p => !p.StartsWith("/account/", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        pages.Should().Contain(["/", "/organisations/{Id:guid}", "/users/{Id:guid}"]);

        foreach (var page in pages)
        {
            var url = page.Replace("{Id:guid}", page.StartsWith("/users", StringComparison.Ordinal) ? b.Admin.Id.ToString() : b.Organisation.Id.ToString(), StringComparison.Ordinal);
            var response = await browser.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            ((int)response.StatusCode).Should().BeOneOf([200, 302, 403, 404], $"GET {url} as a foreign administrator");
            foreach (var secret in secrets.Where(s => !url.Contains(s, StringComparison.Ordinal)))
            {
                body.Should().NotContain(secret, $"GET {url} must show nothing of organisation B");
            }
        }
    }

    [DbFact]
    public async Task Foreign_organisation_admin_reaches_nothing_of_organisation_B()
    {
        var a = await factory.CreateTenantAsync();
        var b = await factory.CreateTenantAsync();
        var intelligence = await RecordIntelligenceAsync(b);
        var caseFile = await OpenCaseAsync(b);
        var request = await SendRequestAsync(b);
        var incident = await OpenIncidentAsync(b, intelligence.IndicatorId);
        var partner = await RecordPartnerAsync();
        var exercise = await RunExerciseAsync(b);
        var scene = new Scene(factory.ClientWith(a.AdminSecret), a, b,
            [b.Organisation.Id.ToString(), b.Organisation.Name, b.Admin.Id.ToString(), b.Analyst.Id.ToString(), b.Admin.Email, b.Analyst.Email, b.AdminTokenId.ToString(), b.AnalystTokenId.ToString(),
                .. intelligence.Secrets, .. caseFile.Secrets, .. request.Secrets, .. incident.Secrets, .. partner.Secrets, .. exercise.Secrets],
            intelligence, caseFile, incident)
        { BRequest = request, PartnerId = partner.Id, BExercise = exercise };

        var failures = new List<string>();
        foreach (var (key, _) in Endpoints().Where(e => Normalise(e.Endpoint).StartsWith("/api/", StringComparison.Ordinal)).DistinctBy(e => e.Key))
        {
            if (!Cases.TryGetValue(key, out var run))
            {
                failures.Add($"{key}: no case");
                continue;
            }

            try
            {
                await run(scene);
            }
            catch (Exception ex)
            {
                failures.Add($"{key}: {ex.Message}");
            }
        }

        failures.Should().BeEmpty();

        // Nothing of B changed, and B's tokens still work.
        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        var org = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == b.Organisation.Id);
        org.ContactName.Should().BeNull();
        (await db.Users.CountAsync(u => u.OrganisationId == b.Organisation.Id)).Should().Be(2);
        (await db.Users.AsNoTracking().SingleAsync(u => u.Id == b.Analyst.Id)).Disabled.Should().BeFalse();
        (await db.ApiTokens.CountAsync(t => t.OrganisationId == b.Organisation.Id)).Should().Be(2);
        (await db.ApiTokens.AsNoTracking().SingleAsync(t => t.Id == b.AdminTokenId)).RevokedAt.Should().BeNull();
        var bAdmin = await (await factory.ClientWith(b.AdminSecret).GetAsync("/api/v1/me")).ReadJsonAsync();
        bAdmin["roles"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal("org-admin");

        // B's intelligence is whole and unchanged.
        var analyst = factory.ClientWith(b.AnalystSecret);
        var indicator = await (await analyst.GetAsync($"/api/v1/indicators/{intelligence.IndicatorId}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        indicator["confidence"]!.GetValue<int>().Should().Be(50);
        indicator["sharing"]!["tlp"]!.GetValue<string>().Should().Be("TLP:AMBER");
        indicator["sharing"]!["distribution"]!.GetValue<string>().Should().Be("organisation-only");
        var report = await (await analyst.GetAsync($"/api/v1/reports/{intelligence.ReportId}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        report["title"]!.GetValue<string>().Should().Be(intelligence.ReportTitle);
        var sightings = await (await analyst.GetAsync($"/api/v1/indicators/{intelligence.IndicatorId}/sightings")).ReadJsonAsync();
        sightings["items"]!.AsArray().Single()!["kind"]!.GetValue<string>().Should().Be("seen");
        var group = await (await analyst.GetAsync($"/api/v1/sharing-groups/{intelligence.GroupId}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        group["name"]!.GetValue<string>().Should().Be(intelligence.GroupName);
        group["members"]!.AsArray().Should().ContainSingle("only the owner");

        // B's case and evidence are whole and unchanged: no transfer, no access, no planted file.
        var bCase = await (await analyst.GetAsync($"/api/v1/cases/{caseFile.CaseId}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        bCase["title"]!.GetValue<string>().Should().Be(caseFile.Title);
        bCase["status"]!.GetValue<string>().Should().Be("open");
        bCase["partners"]!.AsArray().Should().BeEmpty();
        bCase["evidenceItems"]!.GetValue<int>().Should().Be(2, "the exhibit and the capture B analysed");
        var custody = await (await analyst.GetAsync($"/api/v1/evidence/{caseFile.EvidenceId}/custody")).ReadJsonAsync();
        custody["items"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()).Should().Equal("acquire");
        var bTasks = await (await analyst.GetAsync($"/api/v1/cases/{caseFile.CaseId}/tasks")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK);
        bTasks.Select(t => $"{t!["title"]} {t["status"]}").Should().Equal("Trace the wallet open");
        var bRevisions = await (await analyst.GetAsync($"/api/v1/cases/{caseFile.CaseId}/notes/{caseFile.NoteId}/revisions")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK);
        bRevisions.Should().ContainSingle();
        (await (await analyst.GetAsync($"/api/v1/cases/{caseFile.CaseId}/notes")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK)).Should().ContainSingle();
        var bTimeline = await (await analyst.GetAsync($"/api/v1/cases/{caseFile.CaseId}/timeline?kind=entry")).ReadJsonAsync();
        bTimeline["items"]!.AsArray().Select(e => e!["text"]!.GetValue<string>()).Should().Equal("Wallet moved to the mixer");

        // The partner is as the node administrator recorded it: enabled, its URL, TLP ceiling and secret untouched.
        var recorded = await db.Partners.AsNoTracking().SingleAsync(p => p.Id == partner.Id);
        recorded.Enabled.Should().BeTrue();
        recorded.ApiRoot.Should().Be(partner.ApiRoot);
        recorded.TlpCeiling.Should().Be(Core.Sharing.Tlp.Amber);
        recorded.InboundSecretHash.Should().Be(partner.SecretHash);

        // B's request is still sent, unextended, with its one file; its draft is still there.
        var bAdminClient = factory.ClientWith(b.AdminSecret);
        var bRequest = await (await bAdminClient.GetAsync($"/api/v1/requests/{request.RequestId}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        bRequest["status"]!.GetValue<string>().Should().Be("sent");
        bRequest["attachments"]!.AsArray().Should().ContainSingle();
        bRequest["history"]!.AsArray().Should().HaveCount(3, "drafted, attachment, sent");
        var bDraft = await (await bAdminClient.GetAsync($"/api/v1/requests/{request.DraftId}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        bDraft["subject"]!.GetValue<string>().Should().Be(request.Subject);
        var contacts = await (await bAdminClient.GetAsync("/api/v1/contact-points")).ReadJsonAsync();
        var duty = contacts.AsArray().Single(c => c!["id"]!.GetValue<Guid>() == request.ContactId)!;
        duty["name"]!.GetValue<string>().Should().Be("Duty desk");
        duty["organisationId"]!.GetValue<Guid>().Should().Be(b.Organisation.Id);
        var tunisia = await (await bAdminClient.GetAsync("/api/v1/legislation?country=TN")).ReadJsonAsync();
        tunisia["offences"]!.AsArray().SelectMany(o => o!["provisions"]!.AsArray()).Should().Contain(p => p!["id"]!.GetValue<Guid>() == request.ProvisionId && p["mayChange"]!.GetValue<bool>());

        // B's incident is whole and unchanged: no participant joined, no move was made.
        var bIncident = await (await analyst.GetAsync($"/api/v1/incidents/{incident.IncidentId}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        bIncident["title"]!.GetValue<string>().Should().Be(incident.Title);
        bIncident["status"]!.GetValue<string>().Should().Be("reported");
        bIncident["participants"]!.AsArray().Should().BeEmpty();
        var timeline = await (await analyst.GetAsync($"/api/v1/incidents/{incident.IncidentId}/timeline")).ReadJsonAsync();
        timeline["items"]!.AsArray().Select(e => e!["text"]!.GetValue<string>()).Should().Equal("Samples sent to the lab");
        var tasks = await (await analyst.GetAsync($"/api/v1/incidents/{incident.IncidentId}/tasks")).ReadJsonAsync();
        tasks["items"]!.AsArray().Single()!["status"]!.GetValue<string>().Should().Be("open");
        (await (await analyst.GetAsync($"/api/v1/incidents/{incident.IncidentId}/sitreps")).ReadJsonAsync())["items"]!.AsArray().Should().ContainSingle();
        (await (await analyst.GetAsync($"/api/v1/incidents/{incident.IncidentId}/links")).ReadJsonAsync())["items"]!.AsArray().Should().ContainSingle();
        (await bAdminClient.GetStringAsync("/api/v1/webhooks")).Should().Contain(incident.WebhookId.ToString());
        (await bAdminClient.GetStringAsync("/api/v1/on-call")).Should().Contain(incident.ShiftId.ToString());
    }

    private sealed record RecordedPartner(Guid Id, string Name, string ApiRoot, string Fingerprint, string SecretHash)
    {
        public string[] Secrets => [Id.ToString(), Name, ApiRoot, Fingerprint];
    }

    /// <summary>A node administrator records a partner node.</summary>
    private async Task<RecordedPartner> RecordPartnerAsync()
    {
        var admin = await factory.NodeAdminClientAsync();
        var created = await (await admin.PostAsJsonAsync("/api/v1/partners", Federation.PartnerApiTests<TFactory>.NewPartner(apiRoot: $"https://{Guid.NewGuid():N}.partner.example/api1/")))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var partner = created["partner"]!;
        var id = partner["id"]!.GetValue<Guid>();
        await using var db = factory.Database.Open(TenantScope.NodeWide("test"));
        var hash = await db.Partners.AsNoTracking().Where(p => p.Id == id).Select(p => p.InboundSecretHash).SingleAsync();
        return new RecordedPartner(id, partner["name"]!.GetValue<string>(), partner["apiRoot"]!.GetValue<string>(), partner["publicKeyFingerprint"]!.GetValue<string>(), hash);
    }


    /// <summary>Organisation B sends a preservation request with an attachment to a third organisation, and keeps a draft.</summary>
    private async Task<RequestFile> SendRequestAsync(Tenant b)
    {
        var c = await factory.CreateTenantAsync();
        var sender = factory.ClientWith(b.AdminSecret);
        var subject = RibatFactory.Unique("Preserve");
        var body = new
        {
            type = "preservation",
            subject,
            addressedOrganisationId = c.Organisation.Id,
            offences = new[] { "illegal-access" },
            fields = new { requestingAuthority = "Unit B", facts = "f", dataToPreserve = "logs", custodian = "host", necessity = "deletion", assistanceToFollow = "yes" },
        };
        var created = await (await sender.PostAsJsonAsync("/api/v1/requests", body)).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var id = created["id"]!.GetValue<Guid>();
        var file = await (await sender.PostAsync($"/api/v1/requests/{id}/attachments?fileName=order.pdf", new ByteArrayContent(RandomNumberGenerator.GetBytes(64))))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        (await sender.PostAsJsonAsync($"/api/v1/requests/{id}/transitions", new { to = "sent" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var draft = await (await sender.PostAsJsonAsync("/api/v1/requests", body)).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var contact = await (await sender.PostAsJsonAsync("/api/v1/contact-points", new { name = "Duty desk", timeZone = "Africa/Tunis", always = true })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var provision = await (await sender.PostAsJsonAsync("/api/v1/legislation", new { country = "TN", offence = "illegal-access", reference = RibatFactory.Unique("Art.") }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var provider = await (await sender.PostAsJsonAsync("/api/v1/providers", new { name = RibatFactory.Unique("Mail"), country = "DE", legalBasis = "SAP Art. 7" }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var providerId = provider["id"]!.GetValue<Guid>();
        var direct = await (await sender.PostAsJsonAsync("/api/v1/requests", new
        {
            type = "subscriber-information",
            subject,
            addresseeKind = "service-provider",
            serviceProviderId = providerId,
            offences = new[] { "illegal-access" },
            fields = new { requestingAuthority = "Unit B", facts = "f", identifiers = "user@example.test", legalBasis = "SAP Art. 7" },
        })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        (await sender.PostAsJsonAsync($"/api/v1/requests/{direct["id"]}/transitions", new { to = "sent" })).StatusCode.Should().Be(HttpStatusCode.OK);
        return new RequestFile(id, subject, file["id"]!.GetValue<Guid>(), file["sha256"]!.GetValue<string>(), draft["id"]!.GetValue<Guid>(), contact["id"]!.GetValue<Guid>(),
            provision["id"]!.GetValue<Guid>(), providerId);
    }

    /// <summary>
    /// Every TAXII endpoint called by organisation A's administrator with organisation B's collection, object and status
    /// ids: nothing of B is listed, read, changed or deleted, and B still reads all of it.
    /// </summary>
    [DbFact]
    public async Task Foreign_organisation_reaches_nothing_of_organisation_B_through_taxii()
    {
        var a = await factory.CreateTenantAsync();
        var b = await factory.CreateTenantAsync();
        var intelligence = await RecordIntelligenceAsync(b);
        const string taxii = "application/taxii+json;version=2.1";
        HttpClient Taxii(string secret)
        {
            var client = factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"x:{secret}")));
            client.DefaultRequestHeaders.Accept.ParseAdd(taxii);
            return client;
        }

        var owner = Taxii(b.AnalystSecret);
        var campaign = $"campaign--{Guid.NewGuid()}";
        var envelope = new StringContent($$"""{"objects":[{"type":"campaign","spec_version":"2.1","id":"{{campaign}}","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"B's secret campaign"}]}""");
        envelope.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(taxii);
        var posted = await owner.PostAsync($"/taxii2/ribat/collections/{b.Organisation.Id}/objects/", envelope);
        posted.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var statusId = (await posted.ReadJsonAsync())["id"]!.GetValue<string>();
        var indicator = $"indicator--{intelligence.IndicatorId}";
        var secrets = new[] { intelligence.Value, intelligence.ReportTitle, intelligence.SightingId.ToString(), "B's secret campaign", b.Organisation.Name };

        var attacker = Taxii(a.AdminSecret);
        var collection = $"/taxii2/ribat/collections/{b.Organisation.Id}";
        var group = $"/taxii2/ribat/collections/{intelligence.GroupId}";
        var calls = new (HttpMethod Method, string Url)[]
        {
            (HttpMethod.Get, $"{collection}/"), (HttpMethod.Get, $"{collection}/objects/"), (HttpMethod.Get, $"{collection}/manifest/"),
            (HttpMethod.Get, $"{collection}/objects/{indicator}/"), (HttpMethod.Get, $"{collection}/objects/{indicator}/versions/"),
            (HttpMethod.Delete, $"{collection}/objects/{campaign}/"), (HttpMethod.Get, $"{group}/objects/"), (HttpMethod.Get, $"/taxii2/ribat/status/{statusId}/"),
        };
        foreach (var (method, url) in calls)
        {
            var response = await attacker.SendAsync(new HttpRequestMessage(method, url));
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.Should().Be(HttpStatusCode.NotFound, $"{method} {url}: {body}");
            foreach (var secret in secrets)
            {
                body.Should().NotContain(secret, $"{method} {url}");
            }
        }

        var planted = new StringContent("""{"objects":[{"type":"campaign","spec_version":"2.1","id":"campaign--0f5bd2b4-2a9b-4d0b-8d7e-3c3f1f2a9c11","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"planted"}]}""");
        planted.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(taxii);
        (await attacker.PostAsync($"{collection}/objects/", planted)).StatusCode.Should().Be(HttpStatusCode.NotFound);

        // Every collection A has (its own, the community) carries none of B's organisation-only intelligence.
        var listed = await (await attacker.GetAsync("/taxii2/ribat/collections/")).ReadJsonAsync();
        var ids = listed["collections"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).ToList();
        ids.Should().NotContain(b.Organisation.Id.ToString()).And.NotContain(intelligence.GroupId.ToString());
        foreach (var id in ids)
        {
            var body = await attacker.GetStringAsync($"/taxii2/ribat/collections/{id}/objects/?match[version]=all&limit=1000");
            foreach (var secret in secrets)
            {
                body.Should().NotContain(secret, $"collection {id}");
            }
        }

        // B reads all of it, so the checks above can fail.
        var own = await owner.GetStringAsync($"{collection}/objects/?match[version]=all&limit=1000");
        own.Should().Contain(intelligence.Value).And.Contain("B's secret campaign").And.Contain(intelligence.SightingId.ToString());
        (await owner.GetAsync($"{collection}/objects/{campaign}/")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    /// <summary>Organisation B opens a TLP:AMBER incident that it works alone, linked to its own indicator.</summary>
    private async Task<ExerciseFile> RunExerciseAsync(Tenant b)
    {
        var client = factory.ClientWith(b.AnalystSecret);
        var name = RibatFactory.Unique("B drill");
        var run = await (await client.PostAsJsonAsync("/api/v1/exercises", new { name, scenarioHash = new string('d', 64), timeScale = 60 })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var id = run["id"]!.GetValue<Guid>();
        var title = RibatFactory.Unique("B exercise outbreak");
        var inject = await (await client.PostAsJsonAsync($"/api/v1/exercises/{id}/injects", new
        {
            line = 1,
            type = "incident",
            node = "b",
            organisation = "b",
            plannedAt = DateTimeOffset.UtcNow,
            title,
            category = "malicious-code:infected-system",
            severity = "high",
        })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        return new ExerciseFile(id, name, inject["incidentId"]!.GetValue<Guid>(), title);
    }

    private async Task<IncidentFile> OpenIncidentAsync(Tenant b, Guid indicatorId)
    {
        var analyst = factory.ClientWith(b.AnalystSecret);
        var title = RibatFactory.Unique("Outbreak");
        var opened = await (await analyst.PostAsJsonAsync("/api/v1/incidents", new { title, category = "malicious-code:infected-system", severity = "high", sharing = new { tlp = "amber" } }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var id = opened["id"]!.GetValue<Guid>();
        var entry = await (await analyst.PostAsJsonAsync($"/api/v1/incidents/{id}/timeline", new { text = "Samples sent to the lab" })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var task = await (await analyst.PostAsJsonAsync($"/api/v1/incidents/{id}/tasks", new { title = "Analyse samples", assigneeOrganisationId = b.Organisation.Id }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var sitrep = await (await analyst.PostAsync($"/api/v1/incidents/{id}/sitreps", null)).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        await (await analyst.PostAsync($"/api/v1/sitreps/{sitrep["id"]}/publish", null)).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);

        await (await analyst.PostAsJsonAsync($"/api/v1/incidents/{id}/links", new { kind = "indicator", targetId = indicatorId })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var admin = factory.ClientWith(b.AdminSecret);
        var hook = await (await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://b-hooks.example/ribat" })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var shift = await (await admin.PostAsJsonAsync("/api/v1/on-call", new { userId = b.Analyst.Id, startsAt = DateTimeOffset.UtcNow, endsAt = DateTimeOffset.UtcNow.AddHours(8), timeZone = "UTC" }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var playbook = await (await analyst.PostAsJsonAsync("/api/v1/playbooks", new
        {
            title = "Isolate SMB hosts",
            category = "malicious-code:infected-system",
            steps = new[] { new { title = "Cut 445/tcp", role = "analyst" } },
            sharing = new { tlp = "amber" },
        })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        return new IncidentFile(id, title, entry["id"]!.GetValue<Guid>(), task["id"]!.GetValue<Guid>(), sitrep["id"]!.GetValue<Guid>(), indicatorId,
            hook["webhook"]!["id"]!.GetValue<Guid>(), shift["id"]!.GetValue<Guid>(), playbook["id"]!.GetValue<Guid>());
    }

    /// <summary>Organisation B opens a TLP:AMBER case, acquires a file and a capture, analyses the capture, and keeps a task, a note and a timeline entry.</summary>
    private async Task<CaseFile> OpenCaseAsync(Tenant b)
    {
        var analyst = factory.ClientWith(b.AnalystSecret);
        var title = RibatFactory.Unique("Investigation");
        var opened = await (await analyst.PostAsJsonAsync("/api/v1/cases", new { title, sharing = new { tlp = "amber" } })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var caseId = opened["id"]!.GetValue<Guid>();
        var bytes = RandomNumberGenerator.GetBytes(64);
        var item = await (await analyst.PostAsync($"/api/v1/cases/{caseId}/evidence?fileName=exhibit.bin", new ByteArrayContent(bytes))).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var capture = await (await analyst.PostAsync($"/api/v1/cases/{caseId}/evidence?fileName=edge.pcapng",
            new ByteArrayContent(await File.ReadAllBytesAsync(SharedCorpus.Path("pcap", "amp.TCP.syn.optionallyACK.optionallysamePort.pcapng"))))).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var job = await Jobs.JobCalls.StartAsync(analyst, caseId, new { kind = "capture", evidenceIds = new[] { capture["id"]!.GetValue<Guid>() } });
        var ended = await Jobs.JobCalls.EndAsync(analyst, job["id"]!.GetValue<Guid>());
        ended["status"]!.GetValue<string>().Should().Be("succeeded", ended.ToJsonString());
        var task = await (await analyst.PostAsJsonAsync($"/api/v1/cases/{caseId}/tasks", new { title = "Trace the wallet" })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var note = await (await analyst.PostAsJsonAsync($"/api/v1/cases/{caseId}/notes", new { title = "Source", text = "Informant says the wallet is reused." })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        (await analyst.PostAsJsonAsync($"/api/v1/cases/{caseId}/timeline", new { text = "Wallet moved to the mixer", source = "chain analysis" })).StatusCode.Should().Be(HttpStatusCode.Created);
        return new CaseFile(caseId, title, item["id"]!.GetValue<Guid>(), item["sha256"]!.GetValue<string>())
        {
            JobId = job["id"]!.GetValue<Guid>(),
            TrafficFindingId = ended["summary"]!["finding"]!.GetValue<Guid>(),
            TaskId = task["id"]!.GetValue<Guid>(),
            NoteId = note["id"]!.GetValue<Guid>(),
        };
    }

    [DbFact]
    public async Task The_indicator_download_refuses_an_anonymous_request_and_never_carries_another_organisations_amber_value()
    {
        var a = await factory.CreateTenantAsync();
        var b = await factory.CreateTenantAsync();
        var intelligence = await RecordIntelligenceAsync(b);

        var anonymous = await factory.ClientWith(null).GetAsync("/ui/indicators/export?format=csv&inactive=true");
        ((int)anonymous.StatusCode).Should().BeOneOf([302, 401], "a download needs a signed-in session");
        anonymous.Content.Headers.ContentDisposition.Should().BeNull();
        (await anonymous.Content.ReadAsStringAsync()).Should().NotContain(intelligence.Value);

        var foreign = await factory.SignedInClientAsync(a.Admin.Email);
        foreach (var format in ExportIndicators.Formats)
        {
            var type = format == "rules" ? "&type=yara" : string.Empty;
            var response = await foreign.GetAsync($"/ui/indicators/export?format={format}&inactive=true{type}");
            response.StatusCode.Should().Be(HttpStatusCode.OK, format);
            (await response.Content.ReadAsStringAsync()).Should().NotContain(intelligence.Value, $"the {format} export of a foreign organisation").And.NotContain(intelligence.ReportTitle);
        }

        var byReport = await foreign.GetAsync($"/ui/indicators/export?format=csv&inactive=true&report={intelligence.ReportId}");
        byReport.StatusCode.Should().Be(HttpStatusCode.NotFound, "a report the actor may not see does not exist for them");
        (await byReport.Content.ReadAsStringAsync()).Should().NotContain(intelligence.Value).And.NotContain(intelligence.ReportTitle);

        // The owner's own download carries the value, so the checks above can fail.
        var owner = await factory.SignedInClientAsync(b.Analyst.Email);
        var own = await owner.GetAsync($"/ui/indicators/export?format=csv&inactive=true&report={intelligence.ReportId}");
        own.StatusCode.Should().Be(HttpStatusCode.OK);
        own.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
        own.Content.Headers.ContentDisposition.FileName.Should().EndWith(".csv");
        (await own.Content.ReadAsStringAsync()).Should().Contain(intelligence.Value);
    }

    /// <summary>Organisation B records TLP:AMBER, organisation-only intelligence through the API, as any of its analysts would.</summary>
    private async Task<Intelligence> RecordIntelligenceAsync(Tenant b)
    {
        var analyst = factory.ClientWith(b.AnalystSecret);
        var amber = new { tlp = "amber", distribution = "organisation-only" };
        var title = RibatFactory.Unique("Operation");
        var report = await (await analyst.PostAsJsonAsync("/api/v1/reports", new { title, sharing = amber })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var reportId = report["id"]!.GetValue<Guid>();
        var value = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var recorded = await (await analyst.PostAsJsonAsync("/api/v1/indicators", new { type = "sha256", value, reportId, sharing = amber }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var indicatorId = recorded["ids"]![0]!.GetValue<Guid>();
        var sighting = await (await analyst.PostAsJsonAsync($"/api/v1/indicators/{indicatorId}/sightings", new { source = "sensor" }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        var groupName = RibatFactory.Unique("Circle");
        var group = await (await analyst.PostAsJsonAsync("/api/v1/sharing-groups", new { name = groupName })).ShouldBeAsync<JsonObject>(HttpStatusCode.Created);
        return new Intelligence(indicatorId, value, reportId, title, sighting["id"]!.GetValue<Guid>(), group["id"]!.GetValue<Guid>(), groupName);
    }

    [DbFact]
    public async Task Organisation_B_sees_its_own_rows_so_the_checks_above_can_fail()
    {
        var b = await factory.CreateTenantAsync();
        var client = factory.ClientWith(b.AdminSecret);

        (await client.GetStringAsync($"/api/v1/users?organisation={b.Organisation.Id}")).Should().Contain(b.Analyst.Email);
        (await client.GetStringAsync("/api/v1/audit?limit=500")).Should().Contain(b.Analyst.Id.ToString());
        (await client.GetStringAsync("/api/v1/organisations")).Should().Contain(b.Organisation.Name);
        (await client.GetStringAsync($"/api/v1/tokens?organisation={b.Organisation.Id}")).Should().Contain(b.AnalystTokenId.ToString());

        var intelligence = await RecordIntelligenceAsync(b);
        (await client.GetStringAsync("/api/v1/indicators?limit=500")).Should().Contain(intelligence.Value);
        (await client.GetStringAsync($"/api/v1/indicators?reportId={intelligence.ReportId}&type=sha256")).Should().Contain(intelligence.IndicatorId.ToString());
        (await client.GetStringAsync($"/api/v1/reports?q={Uri.EscapeDataString(intelligence.ReportTitle)}")).Should().Contain(intelligence.ReportId.ToString());
        (await client.GetStringAsync($"/api/v1/reports/{intelligence.ReportId}/indicators")).Should().Contain(intelligence.Value);
        (await client.GetStringAsync($"/api/v1/indicators/{intelligence.IndicatorId}/sightings")).Should().Contain(intelligence.SightingId.ToString());
        (await client.GetStringAsync("/api/v1/sharing-groups")).Should().Contain(intelligence.GroupName);
        (await client.GetStringAsync("/api/v1/indicators/export?format=csv&includeInactive=true")).Should().Contain(intelligence.Value);
        (await client.GetStringAsync("/api/v1/indicators/export?format=plain")).Should().Contain(intelligence.Value);
        (await client.GetStringAsync($"/api/v1/reports/{intelligence.ReportId}/export")).Should().Contain(intelligence.Value);
        (await client.GetStringAsync("/api/v1/stix/export?allVersions=true")).Should().Contain(intelligence.Value).And.Contain(intelligence.ReportTitle).And.Contain(intelligence.SightingId.ToString());
        var found = JsonNode.Parse(await client.GetStringAsync($"/api/v1/search?q={intelligence.Value}"))!;
        found["values"]![0]!["holders"]!.GetValue<int>().Should().Be(1);
        var preview = await (await client.PostAsJsonAsync("/api/v1/indicators/extract", new { text = intelligence.Value })).ReadJsonAsync();
        preview["rows"]![0]!["knownHolders"]!.GetValue<int>().Should().Be(1);
    }
}

public sealed class TenantIsolationTestsSqlite(SqliteFactory factory) : TenantIsolationTests<SqliteFactory>(factory);

public sealed class TenantIsolationTestsPostgres(PostgresFactory factory) : TenantIsolationTests<PostgresFactory>(factory);
