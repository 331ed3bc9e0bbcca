using System.Linq.Expressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Ribat.Core.Access;
using Ribat.Core.Audit;
using Ribat.Core.Cases;
using Ribat.Core.Cooperation;
using Ribat.Core.Evidence;
using Ribat.Core.Exercises;
using Ribat.Core.Federation.Partners;
using Ribat.Core.Federation;
using Ribat.Core.Incidents;
using Ribat.Core.Federation.Sync;
using Ribat.Core.Indicators;
using Ribat.Core.Notifications;
using Ribat.Core.Playbooks;
using Ribat.Core.Readiness;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Data;

/// <summary>
/// The one database context. Each provider has a subclass only so that each keeps its own migrations.
/// Owned rows carry a query filter on the context's <see cref="TenantScope"/>; a context opened without
/// a scope sees none of them.
/// </summary>
public abstract class RibatDbContext : IdentityDbContext<RibatUser, IdentityRole<Guid>, Guid>
{

    private readonly List<Guid> _scopeGroups;
    private readonly List<Guid> _scopeFederated;

    protected RibatDbContext(DbContextOptions options, TenantScope scope)
        : base(options)
    {
        Scope = scope;
        _scopeGroups = [.. scope.SharingGroups];
        _scopeFederated = [.. scope.FederatedNodes];
    }

    public TenantScope Scope { get; }

    // The filters read these two members; EF evaluates them per query, so each context keeps its own scope.
    private bool ScopeIsNodeWide => Scope.IsNodeWide;

    private Guid ScopeOrganisation => Scope.OrganisationId ?? Guid.Empty;

    private bool ScopeHasViewer => Scope.OrganisationId is not null;

    private List<Guid> ScopeSharingGroups => _scopeGroups;

    private List<Guid> ScopeFederatedNodes => _scopeFederated;

    /// <summary>The viewer's organisation for filters of later modules (an empty id when there is none).</summary>
    internal Guid ScopeOrganisationId => ScopeOrganisation;

    internal bool ScopeNodeWide => ScopeIsNodeWide;

    public DbSet<Organisation> Organisations => Set<Organisation>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<NodeSetting> NodeSettings => Set<NodeSetting>();

    public DbSet<DataProtectionKeyRow> DataProtectionKeys => Set<DataProtectionKeyRow>();

    public DbSet<ShareGrant> ShareGrants => Set<ShareGrant>();

    public DbSet<SharingGroupRecord> SharingGroups => Set<SharingGroupRecord>();

    public DbSet<SharingGroupMembership> SharingGroupMemberships => Set<SharingGroupMembership>();

    public DbSet<Indicator> Indicators => Set<Indicator>();

    public DbSet<IntelligenceReport> Reports => Set<IntelligenceReport>();

    public DbSet<Sighting> Sightings => Set<Sighting>();

    public DbSet<Case> Cases => Set<Case>();

    public DbSet<EvidenceItem> EvidenceItems => Set<EvidenceItem>();

    public DbSet<CustodyEntry> CustodyEntries => Set<CustodyEntry>();

    public DbSet<Ribat.Core.Findings.Finding> Findings => Set<Ribat.Core.Findings.Finding>();

    public DbSet<Ribat.Core.Jobs.AnalysisJob> AnalysisJobs => Set<Ribat.Core.Jobs.AnalysisJob>();

    public DbSet<Ribat.Core.Cases.Subjects.CaseSubject> CaseSubjects => Set<Ribat.Core.Cases.Subjects.CaseSubject>();

    public DbSet<Ribat.Core.Cases.Subjects.CaseRelationship> CaseRelationships => Set<Ribat.Core.Cases.Subjects.CaseRelationship>();

    public DbSet<Ribat.Core.Cases.Joint.JointCase> JointCases => Set<Ribat.Core.Cases.Joint.JointCase>();

    public DbSet<Ribat.Core.Cases.Joint.JointEntry> JointEntries => Set<Ribat.Core.Cases.Joint.JointEntry>();

    public DbSet<Ribat.Core.Cases.Money.CaseMoneyFlow> CaseMoneyFlows => Set<Ribat.Core.Cases.Money.CaseMoneyFlow>();
    public DbSet<Ribat.Core.CaseWork.CaseTask> CaseTasks => Set<Ribat.Core.CaseWork.CaseTask>();

    public DbSet<Ribat.Core.CaseWork.CaseNote> CaseNotes => Set<Ribat.Core.CaseWork.CaseNote>();

    public DbSet<Ribat.Core.CaseWork.CaseNoteRevision> CaseNoteRevisions => Set<Ribat.Core.CaseWork.CaseNoteRevision>();

    public DbSet<Ribat.Core.CaseWork.CaseTimelineEntry> CaseTimelineEntries => Set<Ribat.Core.CaseWork.CaseTimelineEntry>();

    public DbSet<Partner> Partners => Set<Partner>();

    public DbSet<CooperationRequest> CooperationRequests => Set<CooperationRequest>();

    public DbSet<RequestEvent> RequestEvents => Set<RequestEvent>();

    public DbSet<RequestAttachment> RequestAttachments => Set<RequestAttachment>();

    public DbSet<RequestReceipt> RequestReceipts => Set<RequestReceipt>();

    public DbSet<CooperationReminder> CooperationReminders => Set<CooperationReminder>();

    public DbSet<ContactPoint> ContactPoints => Set<ContactPoint>();

    public DbSet<PartnerContactPoint> PartnerContactPoints => Set<PartnerContactPoint>();

    public DbSet<PartnerProvider> PartnerProviders => Set<PartnerProvider>();

    public DbSet<NationalProvision> NationalProvisions => Set<NationalProvision>();

    public DbSet<ProviderProfile> ProviderProfiles => Set<ProviderProfile>();
    public DbSet<StixObjectRecord> StixObjects => Set<StixObjectRecord>();

    public DbSet<TaxiiStatusRecord> TaxiiStatuses => Set<TaxiiStatusRecord>();
    public DbSet<Incident> Incidents => Set<Incident>();

    public DbSet<IncidentParticipant> IncidentParticipants => Set<IncidentParticipant>();

    public DbSet<TimelineEntry> TimelineEntries => Set<TimelineEntry>();

    public DbSet<IncidentTask> IncidentTasks => Set<IncidentTask>();

    public DbSet<SituationReport> SituationReports => Set<SituationReport>();

    public DbSet<IncidentLink> IncidentLinks => Set<IncidentLink>();

    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<NotificationDelivery> NotificationDeliveries => Set<NotificationDelivery>();

    public DbSet<WebhookEndpoint> Webhooks => Set<WebhookEndpoint>();

    public DbSet<OnCallShift> OnCallShifts => Set<OnCallShift>();

    public DbSet<Playbook> Playbooks => Set<Playbook>();

    public DbSet<SyncCursor> SyncCursors => Set<SyncCursor>();

    public DbSet<Delivery> Deliveries => Set<Delivery>();

    public DbSet<PartnerSyncState> PartnerSyncStates => Set<PartnerSyncState>();

    public DbSet<PartnerOrganisation> PartnerOrganisations => Set<PartnerOrganisation>();

    public DbSet<Exercise> Exercises => Set<Exercise>();

    public DbSet<ExerciseInject> ExerciseInjects => Set<ExerciseInject>();

    public abstract bool IsPostgres { get; }

    /// <summary>The sharing policy's "may see" as a query filter over this context's viewer.</summary>
    internal Expression<Func<T, bool>> VisibleToScope<T>()
        where T : class, ISharedObject =>
        SharingVisibility.Predicate<T>(
            () => ScopeIsNodeWide,
            () => ScopeHasViewer,
            () => ScopeOrganisation,
            () => ShareGrants,
            () => ScopeSharingGroups,
            () => ScopeFederatedNodes);

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<RibatUser>(user =>
        {
            user.ToTable("users");
            user.Property(u => u.DisplayName).HasMaxLength(200);
            user.Property(u => u.Language).HasMaxLength(8);
            user.Property(u => u.Calendar).HasConversion<string>().HasMaxLength(16);
            user.HasOne<Organisation>().WithMany().HasForeignKey(u => u.OrganisationId).OnDelete(DeleteBehavior.Restrict);
            user.HasIndex(u => u.OrganisationId);
            user.HasQueryFilter(u => ScopeIsNodeWide || u.OrganisationId == ScopeOrganisation);
        });
        builder.Entity<IdentityRole<Guid>>().ToTable("roles");
        builder.Entity<IdentityUserRole<Guid>>().ToTable("user_roles");
        builder.Entity<IdentityUserClaim<Guid>>().ToTable("user_claims");
        builder.Entity<IdentityUserLogin<Guid>>().ToTable("user_logins");
        builder.Entity<IdentityUserToken<Guid>>().ToTable("user_tokens");
        builder.Entity<IdentityRoleClaim<Guid>>().ToTable("role_claims");
        builder.Entity<IdentityRole<Guid>>().HasData(Tenancy.Roles.All.Select(name => new IdentityRole<Guid>
        {
            Id = Tenancy.Roles.Ids[name],
            Name = name,
            NormalizedName = name.ToUpperInvariant(),
            ConcurrencyStamp = Tenancy.Roles.Ids[name].ToString("N"),
        }));

        builder.Entity<Organisation>(org =>
        {
            org.ToTable("organisations");
            org.HasKey(o => o.Id);
            org.Property(o => o.Name).HasMaxLength(200);
            org.Property(o => o.Country).HasMaxLength(2).IsFixedLength();
            org.Property(o => o.Kind).HasConversion<string>().HasMaxLength(16);
            org.Property(o => o.ContactName).HasMaxLength(200);
            org.Property(o => o.ContactEmail).HasMaxLength(256);
            org.Property(o => o.ContactPhone).HasMaxLength(64);
            org.HasIndex(o => o.Name).IsUnique();
            org.HasQueryFilter(o => ScopeIsNodeWide || o.Id == ScopeOrganisation);
        });

        builder.Entity<ApiToken>(token =>
        {
            token.ToTable("api_tokens");
            token.HasKey(t => t.Id);
            token.Property(t => t.Name).HasMaxLength(100);
            token.Property(t => t.Prefix).HasMaxLength(16);
            token.Property(t => t.SecretHash).HasMaxLength(64);
            token.Property(t => t.Scope).HasConversion<string>().HasMaxLength(8);
            token.HasIndex(t => t.SecretHash).IsUnique();
            token.HasIndex(t => t.UserId);
            token.HasOne<RibatUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
            token.HasQueryFilter(t => ScopeIsNodeWide || t.OrganisationId == ScopeOrganisation);
        });

        builder.Entity<AuditEntry>(audit =>
        {
            audit.ToTable("audit_log");
            audit.HasKey(a => a.Id);
            audit.HasIndex(a => a.Sequence).IsUnique();
            audit.Property(a => a.Event).HasMaxLength(64);
            audit.Property(a => a.ActorName).HasMaxLength(256);
            audit.Property(a => a.TargetType).HasMaxLength(64);
            audit.Property(a => a.TargetId).HasMaxLength(128);
            audit.Property(a => a.Address).HasMaxLength(64);
            audit.Property(a => a.PreviousHash).HasMaxLength(64);
            audit.Property(a => a.Hash).HasMaxLength(64);
            audit.HasIndex(a => new { a.OrganisationId, a.Sequence });
            audit.HasIndex(a => a.Code);
            audit.HasQueryFilter(a => ScopeIsNodeWide || a.OrganisationId == ScopeOrganisation);
        });

        builder.Entity<DataProtectionKeyRow>(key =>
        {
            key.ToTable("data_protection_keys");
            key.HasKey(k => k.Id);
            key.Property(k => k.FriendlyName).HasMaxLength(200);
        });

        SharingModel.Configure(builder, g => ScopeIsNodeWide || (ScopeHasViewer
            && (g.OwnerOrganisationId == ScopeOrganisation || g.Members.Any(m => m.OrganisationId == ScopeOrganisation))));
        IndicatorModel.Configure(builder, this);
        CaseModel.Configure(builder, this);
        Ribat.Core.Findings.FindingModel.Configure(builder, this);
        Ribat.Core.Jobs.JobModel.Configure(builder, this);
        Ribat.Core.Cases.Subjects.SubjectModel.Configure(builder, this);
        Ribat.Core.CaseWork.CaseWorkModel.Configure(builder, this);
        Ribat.Core.Cases.Money.MoneyModel.Configure(builder, this);
        Ribat.Core.Cases.Joint.JointModel.Configure(builder, this);
        PartnerModel.Configure(builder);
        builder.Entity<Partner>().HasQueryFilter(p => ScopeIsNodeWide);
        CooperationModel.Configure(builder, this, organisation => ScopeIsNodeWide || organisation == ScopeOrganisation, () => ScopeIsNodeWide || ScopeHasViewer);
        FederationModel.Configure(builder, this, s => ScopeIsNodeWide || (ScopeHasViewer && s.OrganisationId == ScopeOrganisation));
        IncidentModel.Configure(builder, this);
        NotificationModel.Configure(builder, this);
        ReadinessModel.Configure(builder, this);
        ExerciseModel.Configure(builder, this);
        SyncModel.Configure(builder);
        builder.Entity<SyncCursor>().HasQueryFilter(c => ScopeIsNodeWide);
        builder.Entity<Delivery>().HasQueryFilter(d => ScopeIsNodeWide);
        builder.Entity<PartnerSyncState>().HasQueryFilter(s => ScopeIsNodeWide);
        builder.Entity<PartnerOrganisation>().HasQueryFilter(o => ScopeIsNodeWide);

        builder.Entity<NodeSetting>(setting =>
        {
            setting.ToTable("node_settings");
            setting.HasKey(s => s.Key);
            setting.Property(s => s.Key).HasMaxLength(64);
        });
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var pending = ChangeTracker.Entries<AuditEntry>()
            .Where(e => e.State == EntityState.Added && e.Entity.Hash.Length == 0)
            .Select(e => e.Entity)
            .ToList();
        if (pending.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        // The audit rows join the change's own transaction: both commit or neither does.
        IDbContextTransaction? own = Database.CurrentTransaction is null
            ? await Database.BeginTransactionAsync(cancellationToken)
            : null;
        try
        {
            await LinkAuditEntriesAsync(pending, cancellationToken);
            var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }

            return written;
        }
        catch
        {
            foreach (var entry in pending)
            {
                entry.Hash = string.Empty;
            }

            throw;
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Opens this context's connection for good and lets its commits return without waiting for the disk to confirm
    /// the write: SQLite's <c>synchronous = NORMAL</c> (in WAL mode) for the connection; on PostgreSQL each commit of
    /// <see cref="SaveWithoutFlushAsync"/> turns off <c>synchronous_commit</c> for its own transaction. Such a commit is
    /// atomic and survives a crash of Ribat; a power cut or an operating-system crash may undo it, and only together
    /// with every commit after it, so the database stays consistent and the audit chain loses at most its newest links.
    /// The next ordinary commit flushes it. Only for records that may be lost that way: see
    /// <see cref="Audit.AuditTrail.WriteLookupAsync"/>. <see cref="ReleaseWithoutFlushAsync"/> gives the connection back
    /// as it was.
    /// </summary>
    /// <remarks>
    /// SQLite refuses to change the safety level inside a transaction, and the setting belongs to the connection, which
    /// the driver pools: a context holds one connection open for as long as it saves this way, rather than lowering and
    /// restoring the level around every save. The connection keeps the pool's checkpoint interval: a commit that copied
    /// the log back would make every look-up queued behind it wait for the copy (see
    /// <see cref="CheckpointLogAsync"/>).
    /// </remarks>
    internal async Task HoldWithoutFlushAsync(CancellationToken cancellationToken)
    {
        await Database.OpenConnectionAsync(cancellationToken);
        if (!IsPostgres)
        {
            await Database.ExecuteSqlRawAsync("PRAGMA synchronous = NORMAL", cancellationToken);
        }
    }

    /// <summary>
    /// On SQLite, copies the write-ahead log back into the database as far as no reader still needs it, without waiting
    /// for readers or writers (a passive checkpoint); once all of it is copied, the next commit starts the log again
    /// from its beginning. Every page a reader fetches is first looked for in the log's index, one hash table per
    /// 4,096 frames since the log last started, so a node being read needs a short log. Nothing to do on PostgreSQL.
    /// </summary>
    /// <returns>How many frames the log held (0 on PostgreSQL).</returns>
    internal async Task<int> CheckpointLogAsync(CancellationToken cancellationToken)
    {
        if (IsPostgres)
        {
            return 0;
        }

        await Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? reader.GetInt32(1) : 0;
        }
        finally
        {
            await Database.CloseConnectionAsync();
        }
    }

    /// <summary>Saves pending changes in one transaction, on the connection <see cref="HoldWithoutFlushAsync"/> holds, then forgets them.</summary>
    internal async Task SaveWithoutFlushAsync(CancellationToken cancellationToken)
    {
        await using (var transaction = await Database.BeginTransactionAsync(cancellationToken))
        {
            if (IsPostgres)
            {
                await Database.ExecuteSqlRawAsync("SET LOCAL synchronous_commit = off", cancellationToken);
            }

            await SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        ChangeTracker.Clear();
    }

    /// <summary>Restores the connection's safety level and closes it, so the driver's pool never hands out a connection that does not flush.</summary>
    internal async Task ReleaseWithoutFlushAsync()
    {
        try
        {
            if (!IsPostgres)
            {
                await Database.ExecuteSqlRawAsync("PRAGMA synchronous = FULL", CancellationToken.None);
            }
        }
        finally
        {
            await Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Makes every commit so far durable, including those made by <see cref="SaveWithoutFlushAsync"/>: on PostgreSQL
    /// a transaction that takes an id commits with a flush, which flushes the log up to it; on SQLite a checkpoint,
    /// which syncs the write-ahead log before copying it into the database.
    /// </summary>
    internal async Task FlushCommittedAsync(CancellationToken cancellationToken)
    {
        if (IsPostgres)
        {
            await Database.ExecuteSqlRawAsync("SELECT pg_current_xact_id()", cancellationToken);
        }
        else
        {
            await CheckpointLogAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Holds the row of <paramref name="entity"/> (read by this context inside the current transaction) until the
    /// transaction ends, and makes sure it is read as it stands now; false when it was deleted meanwhile. SQLite
    /// transactions begin IMMEDIATE, so the row was already read after any other writer committed; PostgreSQL locks the
    /// row, then reads it again. A change that reads, then writes what it read, holds the row first.
    /// </summary>
    public async Task<bool> HoldRowAsync<T>(T entity, CancellationToken cancellationToken)
        where T : class
    {
        if (Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A row is held until the transaction ends; begin one first.");
        }

        if (!IsPostgres)
        {
            return true;
        }

        var entry = Entry(entity);
        var id = entry.Property(entry.Metadata.FindPrimaryKey()!.Properties.Single().Name).CurrentValue;
        await Database.ExecuteSqlRawAsync(RowByKey(entry.Metadata, " FOR UPDATE"), [id!], cancellationToken);
        await entry.ReloadAsync(cancellationToken);
        return entry.State != EntityState.Detached;
    }

    /// <summary>
    /// Whether the row of <typeparamref name="T"/> with the key <paramref name="key"/> is still there, read inside the
    /// current transaction; on PostgreSQL it is then kept from being deleted (or its key changed) until the transaction
    /// ends, while others may still read and keep it too. For a row that is only referred to, such as the indicator a
    /// sighting is recorded on: the row cannot go while the reference is written.
    /// </summary>
    public async Task<bool> KeepRowAsync<T>(object key, CancellationToken cancellationToken)
        where T : class
    {
        if (Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A row is kept until the transaction ends; begin one first.");
        }

        var found = await Database.SqlQueryRaw<int>(RowByKey(Model.FindEntityType(typeof(T))!, IsPostgres ? " FOR KEY SHARE" : string.Empty), key)
            .ToListAsync(cancellationToken);
        return found.Count > 0;
    }

    /// <summary>
    /// The statement that selects the row of <paramref name="type"/> whose key is the parameter <c>{0}</c>, with
    /// <paramref name="locking"/> (a locking clause, or nothing) after it. The table and column names come from the
    /// model, never from input.
    /// </summary>
    private static string RowByKey(Microsoft.EntityFrameworkCore.Metadata.IEntityType type, string locking) =>
        $"SELECT 1 AS \"Value\" FROM \"{type.GetTableName()}\" WHERE \"{type.FindPrimaryKey()!.Properties.Single().GetColumnName()}\" = {{0}}{locking}";

    /// <summary>
    /// Set when this unit of work dated local indicators' current STIX versions (written past the change tracker), so
    /// the push to partner nodes wakes when it commits (<c>Federation/Sync/LocalVersionsSignal</c>).
    /// </summary>
    internal bool LocalVersionsAdded { get; set; }

    /// <summary>
    /// Serialises a critical section node-wide until the current transaction ends. PostgreSQL needs an
    /// advisory lock because several instances may share it; SQLite transactions begin IMMEDIATE and so
    /// already hold the database's single write lock.
    /// </summary>
    public async Task LockAsync(NodeLock section, CancellationToken cancellationToken)
    {
        if (Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A node lock is held until the transaction ends; begin one first.");
        }

        if (IsPostgres)
        {
            await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({(long)section})", cancellationToken);
        }
    }

    private async Task LinkAuditEntriesAsync(List<AuditEntry> pending, CancellationToken cancellationToken)
    {
        await LockAsync(NodeLock.AuditChain, cancellationToken);

        var head = await AuditEntries.IgnoreQueryFilters().AsNoTracking()
            .OrderByDescending(a => a.Sequence)
            .Select(a => new { a.Sequence, a.Hash })
            .FirstOrDefaultAsync(cancellationToken);
        var sequence = head?.Sequence ?? 0;
        var previous = head?.Hash ?? AuditChain.Genesis;
        foreach (var entry in pending)
        {
            entry.Sequence = ++sequence;
            entry.OccurredAt = AuditChain.Normalise(entry.OccurredAt);
            entry.PreviousHash = previous;
            entry.Hash = AuditChain.ComputeHash(entry);
            previous = entry.Hash;
        }
    }
}

/// <summary>Critical sections that must not run twice at once, even across instances.</summary>
public enum NodeLock : long
{
    AuditChain = 0x52696261_74417564,
    Bootstrap = 0x52696261_74426f6f,
    StixDateAdded = 0x52696261_74537478,
}

/// <summary>A node-wide key/value setting (e.g. when the node was initialised).</summary>
public sealed class NodeSetting
{
    public required string Key { get; set; }

    public required string Value { get; set; }
}
