using System.CommandLine;
using Ribat.Core.Access;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;
using Ribat.Core.Tenancy.Organisations;
using Ribat.Core.Tenancy.Users;

namespace Ribat.Cli;

/// <summary><c>ribat admin migrate | org add | user add | token add | partner add|list|disable | list orgs|users</c>, acting as the node operator.</summary>
internal static class AdminCommands
{
    public static Command Create()
    {
        var admin = new Command("admin", "Administer the node from the shell: migrations, organisations, users, API tokens, partner nodes.");
        admin.Subcommands.Add(Migrate());
        admin.Subcommands.Add(Group("org", "Organisations.", OrgAdd()));
        admin.Subcommands.Add(Group("user", "Users.", UserAdd()));
        admin.Subcommands.Add(Group("token", "API tokens.", TokenAdd()));
        admin.Subcommands.Add(PartnerCommands.Create());
        admin.Subcommands.Add(List());
        return admin;
    }

    private static Command Group(string name, string description, Command add)
    {
        var group = new Command(name, description);
        group.Subcommands.Add(add);
        return group;
    }

    private static Command Migrate()
    {
        var command = new Command("migrate", "Create the database or apply pending migrations.");
        command.SetAction((parsed, ct) => AdminContext.RunAsync(parsed, requireMigrated: false, ct, async admin =>
        {
            var applied = await admin.MigrateAsync(Actor.Operator, ct);
            if (applied.Error is { } failed)
            {
                return CliOutput.Fail(failed);
            }

            var where = admin.Get<RibatDatabase>().Options.Describe();
            Console.Out.WriteLine(applied.Value == 0 ? $"{where} is up to date." : $"Applied {applied.Value} migration(s) to {where}.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command OrgAdd()
    {
        var name = new Option<string>("--name") { Description = "Agency name (unique on this node).", Required = true };
        var country = new Option<string>("--country") { Description = "ISO 3166-1 alpha-2 country code, e.g. FR.", Required = true, HelpName = "CC" };
        var kind = new Option<string>("--kind") { Description = $"One of: {OrganisationKinds.Choices}.", Required = true };
        var contactName = new Option<string?>("--contact-name") { Description = "24/7 point of contact: name or desk." };
        var contactEmail = new Option<string?>("--contact-email") { Description = "24/7 point of contact: e-mail." };
        var contactPhone = new Option<string?>("--contact-phone") { Description = "24/7 point of contact: phone." };
        var require2fa = new Option<bool>("--require-2fa") { Description = "Members must enrol a second factor." };
        var command = new Command("add", "Add an organisation.") { name, country, kind, contactName, contactEmail, contactPhone, require2fa };
        command.SetAction((parsed, ct) => AdminContext.RunAsync(parsed, requireMigrated: true, ct, async admin =>
        {
            var created = await admin.Get<CreateOrganisation>().HandleAsync(Actor.Operator, new CreateOrganisationRequest(
                parsed.GetValue(name), parsed.GetValue(country), parsed.GetValue(kind),
                parsed.GetValue(contactName), parsed.GetValue(contactEmail), parsed.GetValue(contactPhone), parsed.GetValue(require2fa)), ct);
            if (created.Error is { } refused)
            {
                return CliOutput.Fail(refused);
            }

            Console.Out.WriteLine($"Created organisation '{created.Value!.Name}' ({created.Value.Country}, {created.Value.Kind}) {created.Value.Id}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command UserAdd()
    {
        var org = new Option<string>("--org") { Description = "The organisation's name.", Required = true, HelpName = "NAME" };
        var email = new Option<string>("--email") { Description = "E-mail address; also the login name.", Required = true };
        var role = new Option<string[]>("--role") { Description = $"Role (repeat for several): {Roles.Choices}.", Required = true, AllowMultipleArgumentsPerToken = true };
        var password = new Option<string?>("--password") { Description = "Initial password; without it a one-time password is printed and must be changed at first sign-in." };
        var displayName = new Option<string?>("--name") { Description = "Display name; defaults to the e-mail address." };
        var command = new Command("add", "Add a user to an organisation.") { org, email, role, password, displayName };
        command.SetAction((parsed, ct) => AdminContext.RunAsync(parsed, requireMigrated: true, ct, async admin =>
        {
            var organisation = await admin.Get<ListOrganisations>().FindByNameAsync(Actor.Operator, parsed.GetValue(org)!, ct);
            if (organisation is null)
            {
                return CliOutput.Fail($"no organisation is named '{parsed.GetValue(org)}' (see 'ribat admin list orgs').");
            }

            var created = await admin.Get<CreateUser>().HandleAsync(Actor.Operator, new CreateUserRequest(
                organisation.Id, parsed.GetValue(email), parsed.GetValue(displayName), parsed.GetValue(role), parsed.GetValue(password)), ct);
            if (created.Error is { } refused)
            {
                return CliOutput.Fail(refused);
            }

            Console.Out.WriteLine($"Created user {created.Value!.User.Email} ({string.Join(", ", created.Value.User.Roles)}) in '{organisation.Name}' {created.Value.User.Id}");
            if (created.Value.OneTimePassword is { } oneTime)
            {
                Console.Out.WriteLine($"One-time password: {oneTime}   (shown once; it must be changed at first sign-in)");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command TokenAdd()
    {
        var user = new Option<string>("--user") { Description = "The user's e-mail address.", Required = true, HelpName = "EMAIL" };
        var scope = new Option<string>("--scope") { Description = "read or write.", DefaultValueFactory = _ => "read" };
        scope.AcceptOnlyFromAmong("read", "write");
        var days = new Option<int>("--days") { Description = "Days until it expires (1-366).", DefaultValueFactory = _ => 90 };
        var name = new Option<string?>("--name") { Description = "What the token is for." };
        var add = new Command("add", "Create an API token and print only the token on stdout.") { user, scope, days, name };
        add.SetAction((parsed, ct) => AdminContext.RunAsync(parsed, requireMigrated: true, ct, async admin =>
        {
            var owner = await admin.Get<ListUsers>().FindByEmailAsync(Actor.Operator, parsed.GetValue(user)!, ct);
            if (owner is null)
            {
                return CliOutput.Fail($"no user has the e-mail address '{parsed.GetValue(user)}'.");
            }

            var created = await admin.Get<CreateApiToken>().HandleAsync(Actor.Operator,
                new CreateApiTokenRequest(parsed.GetValue(name) ?? "created with ribat admin", parsed.GetValue(scope), parsed.GetValue(days), owner.Id), ct);
            if (created.Error is { } refused)
            {
                return CliOutput.Fail(refused);
            }

            Console.Out.WriteLine(created.Value!.Secret);
            return ExitCodes.Ok;
        }));
        return add;
    }

    private static Command List()
    {
        var what = new Argument<string>("what") { Description = "orgs or users." };
        what.AcceptOnlyFromAmong("orgs", "users");
        var format = new Option<OutputFormat>("--format") { Description = "table, json or csv.", DefaultValueFactory = _ => OutputFormat.Table };
        var command = new Command("list", "List organisations or users.") { what, format };
        command.SetAction((parsed, ct) => AdminContext.RunAsync(parsed, requireMigrated: true, ct, async admin =>
        {
            var output = parsed.GetValue(format);
            if (parsed.GetValue(what) == "orgs")
            {
                var orgs = await CollectAsync(cursor => admin.Get<ListOrganisations>().HandleAsync(Actor.Operator, cursor, Core.Common.Cursor.MaxLimit, ct));
                CliOutput.Write(output, orgs, [("NAME", o => o.Name), ("COUNTRY", o => o.Country), ("KIND", o => o.Kind), ("2FA", o => o.RequireTwoFactor), ("ID", o => o.Id)]);
            }
            else
            {
                var users = await CollectAsync(cursor => admin.Get<ListUsers>().HandleAsync(Actor.Operator, null, cursor, Core.Common.Cursor.MaxLimit, ct));
                CliOutput.Write(output, users, [("EMAIL", u => u.Email), ("NAME", u => u.DisplayName), ("ROLES", u => u.Roles), ("2FA", u => u.TwoFactorEnabled), ("DISABLED", u => u.Disabled), ("ORGANISATION", u => u.OrganisationId), ("ID", u => u.Id)]);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<List<T>> CollectAsync<T>(Func<string?, Task<Core.Common.Result<Core.Common.Page<T>>>> page)
    {
        var all = new List<T>();
        string? cursor = null;
        do
        {
            var next = await page(cursor);
            all.AddRange(next.Value!.Items);
            cursor = next.Value.NextCursor;
        }
        while (cursor is not null);
        return all;
    }
}
