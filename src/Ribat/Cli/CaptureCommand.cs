using System.CommandLine;
using Ribat.Capture;
using Ribat.Core.Capture;
using Ribat.Core.Cases;
using Ribat.Core.Tenancy;
using Ribat.Core.Tenancy.Users;

namespace Ribat.Cli;

/// <summary>
/// <c>ribat capture URL --case ID --user EMAIL</c>: loads a web page in headless Chromium and acquires its full-page screenshot,
/// HTML and capture record into a case, each with an acquire custody entry, in the node's data directory or database.
/// </summary>
internal static class CaptureCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("URL") { Description = "The http or https page to capture." };
        var caseId = new Option<string>("--case") { Description = "The case (its id) to add the capture to.", Required = true, HelpName = "ID" };
        var user = new Option<string>("--user") { Description = "Who acquires it, by e-mail: a member of the case's organisation, named in the custody entries.", Required = true, HelpName = "EMAIL" };
        var allowInternal = new Option<bool>("--allow-internal")
        {
            Description = "Let the page (and what it loads) reach this machine and private networks; by default only public addresses " +
                "are loaded. Link-local and reserved addresses (such as a cloud metadata service) are never loaded.",
        };
        var timeout = new Option<int>("--timeout") { Description = $"Seconds the page may take to load (1-{300}, default 30).", DefaultValueFactory = _ => 30, HelpName = "SECONDS" };
        var command = new Command("capture",
            "Capture a web page as evidence: headless Chromium (RIBAT_CHROMIUM, default /usr/bin/chromium) loads it, following " +
            "redirects, until its load event; then the full-page screenshot (PNG), the page's HTML and a capture record (the URL asked " +
            "for, every redirect, the final URL, status, response headers, start and end times, browser, and the MD5/SHA-1/SHA-256 " +
            "of the screenshot and HTML, and any request the page made that was refused) are acquired into the case, each hashed and " +
            "with an 'acquire' custody entry. The browser reaches only public addresses unless --allow-internal is given. A URL that is " +
            "not http(s), a host that does not exist, a page that does not load in time, an unknown case or user: one line, exit " +
            "code 2, and nothing is stored. A closed case, or one the user's organisation does not own: one line, exit code 1.")
        {
            url, caseId, user, timeout, allowInternal,
        };
        command.SetAction((parsed, ct) =>
        {
            if (!Guid.TryParse(parsed.GetValue(caseId), out var id))
            {
                return Task.FromResult(CliOutput.Fail($"--case takes a case id, not '{parsed.GetValue(caseId)}'."));
            }

            return AdminContext.RunAsync(parsed, requireMigrated: true, ct, async admin =>
            {
                var email = parsed.GetValue(user)!;
                var member = await admin.Get<ListUsers>().FindByEmailAsync(Actor.Operator, email, ct);
                if (member is null || member.Disabled)
                {
                    return CliOutput.Fail($"no active user has the e-mail address '{email}'.");
                }

                // The case is looked up as the user: the sharing policy decides what they may see, here as everywhere.
                var actor = new Actor(member.Id, member.DisplayName, member.OrganisationId, member.Roles.ToHashSet(StringComparer.Ordinal));
                if ((await admin.Get<ReadCases>().GetAsync(actor, id, ct)).Error is not null)
                {
                    return CliOutput.Fail($"no case has the id {id} for {email}.");
                }
                var capture = new CaptureWebPage(admin.Get<ReadCases>(), admin.Get<Core.Evidence.AcquireEvidence>(), new ChromiumPageCapturer(admin.Get<TimeProvider>(), Microsoft.Extensions.Options.Options.Create(new CaptureOptions
                {
                    AllowLoopback = parsed.GetValue(allowInternal),
                    AllowPrivateNetworks = parsed.GetValue(allowInternal),
                })));
                var captured = await capture.HandleAsync(actor, id, new CaptureRequest(parsed.GetValue(url), parsed.GetValue(timeout)), ct);
                if (captured.Error is { } failed)
                {
                    return CliOutput.Fail(failed);
                }

                var result = captured.Value!;
                Console.Out.WriteLine($"Captured {result.FinalUrl} (HTTP {result.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}) into case {id} as {member.DisplayName}:");
                foreach (var item in new[] { result.Screenshot, result.Page, result.Record })
                {
                    Console.Out.WriteLine($"  {item.Id}  {item.FileName}  {item.Size} bytes  sha256 {item.Sha256}");
                }

                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
