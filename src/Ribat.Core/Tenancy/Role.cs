namespace Ribat.Core.Tenancy;

/// <summary>
/// The fixed roles of a node. Node admins act across every organisation; every other role acts within
/// the user's own organisation only.
/// </summary>
public static class Roles
{
    public const string NodeAdmin = "node-admin";
    public const string OrgAdmin = "org-admin";
    public const string Analyst = "analyst";
    public const string Investigator = "investigator";
    public const string Liaison = "liaison";
    public const string Prosecutor = "prosecutor";
    public const string Viewer = "viewer";

    public static readonly IReadOnlyList<string> All =
        [NodeAdmin, OrgAdmin, Analyst, Investigator, Liaison, Prosecutor, Viewer];

    /// <summary>Stable ids so the seeded role rows are the same in every database.</summary>
    internal static readonly IReadOnlyDictionary<string, Guid> Ids = new Dictionary<string, Guid>
    {
        [NodeAdmin] = Guid.Parse("0190f1a0-0000-7000-8000-000000000001"),
        [OrgAdmin] = Guid.Parse("0190f1a0-0000-7000-8000-000000000002"),
        [Analyst] = Guid.Parse("0190f1a0-0000-7000-8000-000000000003"),
        [Investigator] = Guid.Parse("0190f1a0-0000-7000-8000-000000000004"),
        [Liaison] = Guid.Parse("0190f1a0-0000-7000-8000-000000000005"),
        [Prosecutor] = Guid.Parse("0190f1a0-0000-7000-8000-000000000006"),
        [Viewer] = Guid.Parse("0190f1a0-0000-7000-8000-000000000007"),
    };

    public static bool IsKnown(string? role) => role is not null && All.Contains(role);

    public static string Choices => string.Join(", ", All);
}
