using System.Globalization;
using Microsoft.Net.Http.Headers;
using Ribat.Core.Tenancy;
using Ribat.Hosting;

namespace Ribat.Web.Localisation;

/// <summary>
/// Picks the request's culture: the signed-in user's language claim, else the browser's Accept-Language,
/// else English. It runs before the Blazor hub, so the circuit keeps the culture of the request that opened it.
/// </summary>
internal static class RequestCulture
{
    public static IApplicationBuilder UseRequestCulture(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var culture = CultureInfo.GetCultureInfo(LanguageFor(context));
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            await next(context);
        });

    public static string LanguageFor(HttpContext context)
    {
        var claimed = context.User.FindFirst(RibatClaims.Language)?.Value;
        if (claimed is not null && Languages.All.Contains(claimed))
        {
            return claimed;
        }

        var accepted = context.Request.GetTypedHeaders().AcceptLanguage
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value?.Split('-')[0].ToLowerInvariant())
            .FirstOrDefault(l => l is not null && Languages.All.Contains(l));
        return accepted ?? Languages.English;
    }

    public static bool IsRightToLeft(CultureInfo culture) => culture.TextInfo.IsRightToLeft;
}
