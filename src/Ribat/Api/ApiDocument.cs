using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Ribat.Api;

/// <summary>The OpenAPI document's title, description and bearer-token security scheme.</summary>
internal static class ApiDocument
{
    public static Task Describe(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Ribat API";
        document.Info.Description =
            "Authenticate every call with an API token: `Authorization: Bearer rbt_…` (create one under *API tokens* " +
            "in the web UI or with `ribat admin token add`). Read tokens may only read. Errors are RFC 9457 problem " +
            "details; lists are cursor-paginated (`cursor`, `limit`, `nextCursor`).";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["apiToken"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A Ribat API token (rbt_…).",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("apiToken", document)] = [] }];
        return Task.CompletedTask;
    }
}
