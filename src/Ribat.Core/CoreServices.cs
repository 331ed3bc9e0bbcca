using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Ribat.Core.Access;
using Ribat.Core.Audit;
using Ribat.Core.Capture;
using Ribat.Core.Cases;
using Ribat.Core.CaseWork;
using Ribat.Core.Cooperation;
using Ribat.Core.Data;
using Ribat.Core.Federation.Partners;
using Ribat.Core.Federation;
using Ribat.Core.Exercises;
using Ribat.Core.Incidents;
using Ribat.Core.Indicators;
using Ribat.Core.Jobs;
using Ribat.Core.Node;
using Ribat.Core.Notifications;
using Ribat.Core.Playbooks;
using Ribat.Core.Readiness;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;
using Ribat.Core.Tenancy.Organisations;
using Ribat.Core.Tenancy.Users;

namespace Ribat.Core;

public static class CoreServices
{
    /// <summary>Database, identity and every use case of the foundation modules (tenancy, access, audit, node).</summary>
    /// <remarks>Pass <paramref name="database"/>, or register a <see cref="RibatDatabase"/> beforehand.</remarks>
    public static IServiceCollection AddRibatCore(this IServiceCollection services, DatabaseOptions? database = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        if (database is not null)
        {
            services.TryAddSingleton(new RibatDatabase(database));
        }


        // Identity's stores must see every account (sign-in, node-wide unique e-mail); handlers that read
        // users for a person open their own scoped context instead.
        services.TryAddScoped<RibatDbContext>(sp => sp.GetRequiredService<RibatDatabase>().Open(TenantScope.NodeWide("identity store")));

        services.AddDataProtection().SetApplicationName("Ribat");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DatabaseXmlRepository(sp.GetRequiredService<RibatDatabase>())));

        services.AddIdentityCore<RibatUser>(ConfigureIdentity)
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<RibatDbContext>()
            .AddDefaultTokenProviders();

        services.TryAddSingleton<AuditTrail>();
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton<VerifyAuditChain>();
        services.TryAddSingleton<CreateOrganisation>();
        services.TryAddSingleton<UpdateOrganisation>();
        services.TryAddSingleton<ListOrganisations>();
        services.TryAddSingleton<ListOrganisationDirectory>();
        services.TryAddSingleton<CreateUser>();
        services.TryAddSingleton<UpdateUser>();
        services.TryAddSingleton<ListUsers>();
        services.TryAddSingleton<UpdatePreferences>();
        services.TryAddSingleton<CreateApiToken>();
        services.TryAddSingleton<ListApiTokens>();
        services.TryAddSingleton<RevokeApiToken>();
        services.TryAddSingleton<AuthenticateApiToken>();
        services.TryAddSingleton<ChangePassword>();
        services.TryAddSingleton<TwoFactorEnrolment>();
        services.TryAddSingleton<NodeBootstrap>();
        services.TryAddSingleton<LocalNode>();
        services.TryAddSingleton<SharingAccess>();
        services.TryAddSingleton<SharingGroups>();
        services.AddOptions<CorrelationOptions>();
        services.TryAddSingleton<WarningLists>();
        services.TryAddSingleton<RecordIndicators>();
        services.TryAddSingleton<ReadIndicators>();
        services.TryAddSingleton<AddressOrigins>();
        services.TryAddSingleton<ChangeIndicators>();
        services.TryAddSingleton<Reports>();
        services.TryAddSingleton<Sightings>();
        services.TryAddSingleton<Correlate>();
        services.TryAddSingleton<ExtractIndicators>();
        services.TryAddSingleton<ImportIndicators>();
        services.TryAddSingleton<ExportIndicators>();
        services.AddCases();
        Ribat.Core.Cases.Subjects.SubjectServices.AddCaseSubjects(services);
        Ribat.Core.Cases.Joint.JointServices.AddJointInvestigations(services);
        Ribat.Core.Cases.Money.MoneyServices.AddCaseMoney(services);
        services.AddCaseWork();
        services.AddPartners();
        services.AddCooperation();
        services.AddCapture();
        services.AddFederation();
        services.AddIncidents();
        services.AddNotifications();
        services.AddExercises();
        services.AddReadiness();
        services.AddPlaybooks();
        services.AddJobs();
        return services;
    }

    /// <summary>
    /// Length over composition rules (NIST SP 800-63B): at least 12 characters, 5 distinct. Five failures
    /// lock an account for 15 minutes.
    /// </summary>
    public static void ConfigureIdentity(IdentityOptions o)
    {
        o.Password.RequiredLength = 12;
        o.Password.RequiredUniqueChars = 5;
        o.Password.RequireDigit = false;
        o.Password.RequireLowercase = false;
        o.Password.RequireUppercase = false;
        o.Password.RequireNonAlphanumeric = false;
        o.Lockout.MaxFailedAccessAttempts = 5;
        o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        o.Lockout.AllowedForNewUsers = true;
        o.User.RequireUniqueEmail = true;
        o.SignIn.RequireConfirmedAccount = false;
    }
}
