using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Ribat.Core.Tenancy;
using Ribat.Hosting;
using Ribat.Web.Dates;
using Ribat.Web.Localisation;

namespace Ribat.Web.Components.Shared;

/// <summary>What every page needs: the strings, the signed-in user as an actor, and dates in their calendar.</summary>
public abstract class RibatComponentBase : ComponentBase
{
    private object? _loadedFor;

    [Inject]
    protected UiText T { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    protected ClaimsPrincipal User { get; private set; } = new();

    /// <summary>Null only for anonymous visitors; every page but the account pages requires sign-in.</summary>
    protected Actor? Actor { get; private set; }

    protected bool Loaded { get; private set; }

    protected static string Language => UiText.LanguageOf(CultureInfo.CurrentUICulture);

    protected CalendarPreference Calendar => DateDisplay.ParseCalendar(User.FindFirst(RibatClaims.Calendar)?.Value);

    protected string When(DateTimeOffset? value) => value is { } v ? DateDisplay.DateTime(v, Language, Calendar) : "—";

    protected string Day(DateTimeOffset? value) => value is { } v ? DateDisplay.Date(v, Language, Calendar) : "—";

    protected string RoleName(string role) => T[$"role.{role}"];

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null)
        {
            User = (await AuthenticationState).User;
            Actor = Actor.FromPrincipal(User);
        }

        if (Actor is not null)
        {
            _loadedFor = LoadKey;
            await LoadAsync();
        }

        Loaded = true;
    }

    /// <summary>
    /// Blazor keeps a page's instance when only its route or query changes (/indicators/a to /indicators/b),
    /// so a page whose data depends on them loads again when <see cref="LoadKey"/> changes.
    /// </summary>
    protected override async Task OnParametersSetAsync()
    {
        if (Loaded && Actor is not null && !Equals(LoadKey, _loadedFor))
        {
            _loadedFor = LoadKey;
            await LoadAsync();
        }
    }

    /// <summary>What the page's data depends on besides the user (its route id, its query); null for none.</summary>
    protected virtual object? LoadKey => null;

    /// <summary>Loads the page's data once the actor is known, and again when <see cref="LoadKey"/> changes.</summary>
    protected virtual Task LoadAsync() => Task.CompletedTask;

    protected Actor RequireActor() => Actor ?? throw new InvalidOperationException("A page that requires sign-in ran without a user.");
}
