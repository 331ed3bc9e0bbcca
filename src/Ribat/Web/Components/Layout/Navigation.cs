using MudBlazor;
using Ribat.Core.Indicators;
using Ribat.Core.Tenancy;

namespace Ribat.Web.Components.Layout;

/// <summary>One entry of the navigation drawer; <see cref="Visible"/> hides what the user may not use anyway.</summary>
public sealed record NavEntry(string Href, string TextKey, string Icon, Func<Actor, bool> Visible, bool Exact = false);

/// <summary>The drawer's entries. A module adds its pages with one line here.</summary>
public static class Navigation
{
    private static bool Anyone(Actor _) => true;

    private static bool Administrator(Actor a) => a.IsNodeAdmin || a.IsOrgAdmin;

    public static readonly IReadOnlyList<NavEntry> Entries =
    [
        new("/", "nav.home", Icons.Material.Filled.Home, Anyone, Exact: true),
        new("/search", "nav.search", Icons.Material.Filled.Search, Anyone),
        new("/indicators", "nav.indicators", Icons.Material.Filled.Fingerprint, Anyone),
        new("/indicators/extract", "nav.extract", Icons.Material.Filled.ContentPaste, IntelligenceRoles.MayWrite),
        new("/indicators/import", "nav.import", Icons.Material.Filled.UploadFile, IntelligenceRoles.MayWrite),
        new("/reports", "nav.reports", Icons.Material.Filled.Article, Anyone),
        new("/cases", "nav.cases", Icons.Material.Filled.Gavel, Anyone),
        new("/joint-investigations", "nav.jointInvestigations", Icons.Material.Filled.Diversity3, Anyone),
        new("/requests", "nav.requests", Icons.Material.Filled.Handshake, Anyone),
        new("/directory", "nav.directory", Icons.Material.Filled.ContactPhone, Anyone),
        new("/legislation", "nav.legislation", Icons.Material.Filled.LocalLibrary, Anyone),
        new("/incidents", "nav.incidents", Icons.Material.Filled.ReportProblem, Anyone),
        new("/exercises", "nav.exercises", Icons.Material.Filled.ModelTraining, Anyone),
        new("/notifications", "nav.notifications", Icons.Material.Filled.NotificationsActive, Anyone),
        new("/on-call", "nav.onCall", Icons.Material.Filled.SupportAgent, Anyone),
        new("/providers", "nav.providers", Icons.Material.Filled.Dns, Anyone),
        new("/sharing-groups", "nav.sharingGroups", Icons.Material.Filled.GroupWork, Anyone),
        new("/warning-lists", "nav.warningLists", Icons.Material.Filled.PlaylistRemove, Anyone),
        new("/organisations", "nav.organisations", Icons.Material.Filled.AccountBalance, Anyone),
        new("/users", "nav.users", Icons.Material.Filled.People, Administrator),
        new("/tokens", "nav.tokens", Icons.Material.Filled.Key, Anyone),
        new("/audit", "nav.audit", Icons.Material.Filled.FactCheck, Administrator),
        new("/partners", "nav.partners", Icons.Material.Filled.Hub, a => a.IsNodeAdmin),
        new("/profile", "nav.profile", Icons.Material.Filled.Person, Anyone),
    ];
}
