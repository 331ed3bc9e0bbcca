using System.Reflection;

namespace Ribat.Core.Audit;

/// <summary>One numbered entry of the audit event catalogue.</summary>
public sealed record AuditEvent(int Code, string Name, string Module, bool IsRead, string Description);

/// <summary>
/// The numbered audit event catalogue. Codes are grouped by module in hundreds and never reused:
/// 100 node, 200 tenancy, 300 access, 400 intelligence and sharing, 500 cases, evidence and their analysis jobs, 600 incidents, readiness and notifications,
/// 700 cooperation, 800 federation, 900 audit. Later modules take their own hundred.
/// <c>docs/audit-events.md</c> lists the same catalogue and a test keeps the two equal.
/// </summary>
public static class AuditEvents
{
    public static readonly AuditEvent NodeInitialised = new(100, "node.initialised", "node", false, "The node was started for the first time: database created, node key generated.");
    public static readonly AuditEvent NodeAdministratorCreated = new(101, "node.admin-created", "node", false, "The first node administrator was created.");
    public static readonly AuditEvent DatabaseMigrated = new(102, "node.database-migrated", "node", false, "Database migrations were applied.");

    public static readonly AuditEvent OrganisationCreated = new(200, "tenancy.organisation-created", "tenancy", false, "An organisation was created.");
    public static readonly AuditEvent OrganisationUpdated = new(201, "tenancy.organisation-updated", "tenancy", false, "An organisation's details or policy changed.");
    public static readonly AuditEvent UserCreated = new(210, "tenancy.user-created", "tenancy", false, "A user was created.");
    public static readonly AuditEvent UserUpdated = new(211, "tenancy.user-updated", "tenancy", false, "A user's name, roles or state changed.");
    public static readonly AuditEvent UserPreferencesChanged = new(212, "tenancy.user-preferences-changed", "tenancy", false, "A user changed their language or calendar.");
    public static readonly AuditEvent UsersListed = new(220, "tenancy.users-listed", "tenancy", true, "A list of users (personal data) was read.");
    public static readonly AuditEvent UserViewed = new(221, "tenancy.user-viewed", "tenancy", true, "One user's record (personal data) was read.");

    public static readonly AuditEvent SignInSucceeded = new(300, "access.sign-in-succeeded", "access", false, "A user signed in.");
    public static readonly AuditEvent SignInFailed = new(301, "access.sign-in-failed", "access", false, "A sign-in failed: wrong password, unknown account, disabled account or wrong second factor.");
    public static readonly AuditEvent AccountLockedOut = new(302, "access.locked-out", "access", false, "An account was locked after repeated failures.");
    public static readonly AuditEvent SignedOut = new(303, "access.signed-out", "access", false, "A user signed out.");
    public static readonly AuditEvent PasswordChanged = new(304, "access.password-changed", "access", false, "A user changed their password.");
    public static readonly AuditEvent TwoFactorEnabled = new(305, "access.two-factor-enabled", "access", false, "A user enrolled an authenticator app.");
    public static readonly AuditEvent TwoFactorDisabled = new(306, "access.two-factor-disabled", "access", false, "A user's second factor was removed.");
    public static readonly AuditEvent ApiTokenCreated = new(310, "access.token-created", "access", false, "An API token was created.");
    public static readonly AuditEvent ApiTokenRevoked = new(311, "access.token-revoked", "access", false, "An API token was revoked.");
    public static readonly AuditEvent ApiTokensListed = new(312, "access.tokens-listed", "access", true, "A list of API tokens was read.");

    public static readonly AuditEvent IndicatorsRecorded = new(400, "intel.indicators-recorded", "intel", false, "Indicators were recorded (typed in, pasted, or accepted from an extraction preview).");
    public static readonly AuditEvent IndicatorUpdated = new(401, "intel.indicator-updated", "intel", false, "An indicator's terms, confidence, validity or false-positive state changed.");
    public static readonly AuditEvent IndicatorDeleted = new(402, "intel.indicator-deleted", "intel", false, "An indicator was deleted by its owner.");
    public static readonly AuditEvent IndicatorsImported = new(403, "intel.indicators-imported", "intel", false, "A file (CSV, text, MISP JSON) was imported as indicators.");
    public static readonly AuditEvent IndicatorsExported = new(404, "intel.indicators-exported", "intel", true, "Indicators were exported (CSV, MISP JSON, block list).");
    public static readonly AuditEvent IntelligenceSearched = new(405, "intel.searched", "intel", true, "A value was looked up and its correlations read.");
    public static readonly AuditEvent ReportCreated = new(410, "intel.report-created", "intel", false, "An intelligence report was created.");
    public static readonly AuditEvent ReportUpdated = new(411, "intel.report-updated", "intel", false, "An intelligence report's content or terms changed.");
    public static readonly AuditEvent ReportDeleted = new(412, "intel.report-deleted", "intel", false, "An intelligence report and its indicators were deleted by their owner.");
    public static readonly AuditEvent SightingRecorded = new(420, "intel.sighting-recorded", "intel", false, "A sighting or false-positive report was recorded against an indicator.");
    public static readonly AuditEvent SharingGroupCreated = new(430, "sharing.group-created", "sharing", false, "A sharing group was created.");
    public static readonly AuditEvent SharingGroupUpdated = new(431, "sharing.group-updated", "sharing", false, "A sharing group's name, confidentiality or members changed.");
    public static readonly AuditEvent SharingGroupDeleted = new(432, "sharing.group-deleted", "sharing", false, "A sharing group no object used any more was deleted.");
    public static readonly AuditEvent WarningListLoaded = new(440, "intel.warning-list-loaded", "intel", false, "A MISP-format warning list was loaded or replaced.");
    public static readonly AuditEvent WarningListChanged = new(441, "intel.warning-list-changed", "intel", false, "A warning list was enabled or disabled.");

    public static readonly AuditEvent CaseOpened = new(500, "cases.case-opened", "cases", false, "A case was opened.");
    public static readonly AuditEvent CaseUpdated = new(501, "cases.case-updated", "cases", false, "A case's content, people, partners or terms changed.");
    public static readonly AuditEvent CaseStatusChanged = new(502, "cases.status-changed", "cases", false, "A case moved to another status (active, suspended, closed, reopened).");
    public static readonly AuditEvent CaseDeleted = new(503, "cases.case-deleted", "cases", false, "A case without evidence was deleted by its owner.");
    public static readonly AuditEvent PackageExported = new(504, "cases.package-exported", "cases", false, "A case's evidence was exported as a signed prosecution package; each item's custody log records the export.");
    public static readonly AuditEvent EvidenceAcquired = new(510, "evidence.acquired", "evidence", false, "A file was acquired into a case or an incident as evidence, with its acquisition record.");
    public static readonly AuditEvent CustodyRecorded = new(511, "evidence.custody-recorded", "evidence", false, "A custody step (seal, transfer, receive, copy, analyse, export, return, dispose, access) was recorded.");
    public static readonly AuditEvent EvidenceContentRead = new(512, "evidence.content-read", "evidence", true, "An evidence file was opened or downloaded.");
    public static readonly AuditEvent EvidenceVerified = new(513, "evidence.verified", "evidence", true, "Evidence files and custody logs were verified.");
    public static readonly AuditEvent EvidenceIntegrityFailed = new(514, "evidence.integrity-failed", "evidence", false, "A custody step was refused because the stored file no longer matched its acquisition hashes.");
    public static readonly AuditEvent EvidenceAnalysed = new(515, "evidence.analysed", "evidence", false, "An evidence item was analysed as an e-mail or a file: its findings kept, its attachments acquired, its indicators recorded.");
    public static readonly AuditEvent SubjectAdded = new(520, "cases.subject-added", "cases", false, "A subject (person, organisation, account, device, phone, e-mail address, IP, domain, wallet, bank account) was added to a case with its source.");
    public static readonly AuditEvent SubjectUpdated = new(521, "cases.subject-updated", "cases", false, "A case subject's names, value, facts, attributes or source changed.");
    public static readonly AuditEvent SubjectRemoved = new(522, "cases.subject-removed", "cases", false, "A subject was removed from a case, with every relationship it was part of.");
    public static readonly AuditEvent SubjectsLinked = new(523, "cases.subjects-linked", "cases", false, "A typed relationship between two subjects of a case was recorded with its source.");
    public static readonly AuditEvent SubjectsUnlinked = new(524, "cases.subjects-unlinked", "cases", false, "A relationship between two subjects of a case was removed.");
    public static readonly AuditEvent SubjectsRead = new(525, "cases.subjects-read", "cases", true, "A case's subjects or relationships were read.");
    public static readonly AuditEvent SubjectFromFinding = new(526, "cases.subject-from-finding", "cases", false, "A value found by the analysis of evidence was added to its case as a subject, with the finding as source.");
    public static readonly AuditEvent CaseGraphRead = new(527, "cases.graph-read", "cases", true, "A case's link graph was read, with or without correlations from the intelligence store.");
    public static readonly AuditEvent RelationshipUpdated = new(528, "cases.relationship-updated", "cases", false, "A relationship between two subjects of a case changed its kind, time span, notes or source; its ends stayed.");
    public static readonly AuditEvent MoneyExportPreviewed = new(530, "cases.money-previewed", "cases", true, "A transaction export (an evidence item of a case) was read to preview its column mapping, flows and refused rows; nothing was stored.");
    public static readonly AuditEvent MoneyFlowsImported = new(531, "cases.money-imported", "cases", false, "A transaction export became the case's money flows: its accounts and wallets subjects (new or reused), its flows replacing those of an earlier import of the same item.");
    public static readonly AuditEvent CaseTaskCreated = new(540, "cases.task-created", "cases", false, "A task was created on a case, possibly for a member of its team.");
    public static readonly AuditEvent CaseTaskUpdated = new(541, "cases.task-updated", "cases", false, "A case task's content, assignee, due date or status changed.");
    public static readonly AuditEvent CaseNoteWritten = new(542, "cases.note-written", "cases", false, "A note was written on a case (its first revision).");
    public static readonly AuditEvent CaseNoteEdited = new(543, "cases.note-edited", "cases", false, "A case note was edited: a new revision was added and every earlier one kept.");
    public static readonly AuditEvent CaseTimelineEntryRecorded = new(544, "cases.timeline-entry-recorded", "cases", false, "An analyst recorded an entry on a case's timeline.");
    public static readonly AuditEvent JointEntryWritten = new(545, "cases.joint-entry-written", "cases", false, "A member of a joint investigation wrote or changed an entry (timeline event, note or task) for the whole team; it travels to the members on partner nodes.");
    public static readonly AuditEvent JointInvestigationRead = new(546, "cases.joint-investigation-read", "cases", true, "A joint investigation (its header, members, evidence list and team entries) was read.");
    public static readonly AuditEvent JointCaseReceived = new(547, "cases.joint-case-received", "cases", false, "A partner node sent a version of a case it leads with an organisation of this node in its joint investigation team.");
    public static readonly AuditEvent JointCaseWithdrawn = new(548, "cases.joint-case-withdrawn", "cases", false, "A partner node's lead removed this node's organisations from a joint investigation: what was received stays, nothing more comes.");
    public static readonly AuditEvent JointEntryReceived = new(549, "cases.joint-entry-received", "cases", false, "A partner node sent an entry one of its organisations wrote for a joint investigation this node holds.");
    public static readonly AuditEvent CourtReportPrinted = new(550, "cases.court-report-printed", "cases", true, "A case's court report (PDF or HTML) was produced: its evidence, custody history, timeline and findings were read.");
    public static readonly AuditEvent JobStarted = new(560, "jobs.started", "jobs", false, "An analysis job (a hunt through logs or a capture analysis) was queued over evidence items of a case or an incident.");
    public static readonly AuditEvent JobCancelRequested = new(561, "jobs.cancel-requested", "jobs", false, "A user cancelled an analysis job: at once while it waited, at its next progress beat while it ran.");
    public static readonly AuditEvent JobSucceeded = new(562, "jobs.succeeded", "jobs", false, "An analysis job ended: its findings kept, custody recorded on each item read.");
    public static readonly AuditEvent JobFailed = new(563, "jobs.failed", "jobs", false, "An analysis job failed (unreadable input, a changed file, a restart of the node) and kept nothing.");
    public static readonly AuditEvent JobCancelled = new(564, "jobs.cancelled", "jobs", false, "A running analysis job stopped on its cancel and kept nothing.");
    public static readonly AuditEvent TrafficIndicatorsRaised = new(565, "jobs.traffic-indicators-raised", "jobs", false, "A capture's reflectors and sources became sighted indicators in a report grouped by network, linked to an incident.");

    public static readonly AuditEvent PartnerAdded = new(830, "federation.partner-added", "federation", false, "A partner node was recorded: its API root, public key fingerprint and what may flow to it; an inbound secret was issued.");
    public static readonly AuditEvent PartnerUpdated = new(831, "federation.partner-updated", "federation", false, "A partner's name, API root, outbound credential, public key or egress rules changed (the credential itself is never recorded).");
    public static readonly AuditEvent PartnerDisabled = new(832, "federation.partner-disabled", "federation", false, "A partner was disabled: nothing flows to or from it and its inbound secret stops working.");
    public static readonly AuditEvent PartnerEnabled = new(833, "federation.partner-enabled", "federation", false, "A disabled partner was enabled again.");
    public static readonly AuditEvent PartnerSecretRotated = new(834, "federation.partner-secret-rotated", "federation", false, "A partner was issued a new inbound secret; the old one stopped working.");
    public static readonly AuditEvent PartnerObjectsServed = new(835, "federation.partner-objects-served", "federation", true, "A partner node pulled a page of what may leave for it from its exchange collection.");
    public static readonly AuditEvent PartnerObjectsReceived = new(836, "federation.partner-objects-received", "federation", false, "A partner node pushed signed objects to its exchange collection: stored with provenance, held versions skipped, forbidden ones refused.");
    public static readonly AuditEvent PartnerPulled = new(837, "federation.partner-pulled", "federation", false, "The sync worker pulled a signed page from a partner and stored its objects with provenance; the pull cursor advanced.");
    public static readonly AuditEvent PartnerPushed = new(838, "federation.partner-pushed", "federation", false, "The sync worker pushed eligible local object versions to a partner, signed; delivery records were written.");
    public static readonly AuditEvent PartnerSyncFailed = new(839, "federation.partner-sync-failed", "federation", false, "A sync round with a partner failed (unreachable, refused, misconfigured); the worker backs off and retries.");
    public static readonly AuditEvent PartnerPayloadRefused = new(840, "federation.partner-payload-refused", "federation", false, "A partner's payload was refused unread because its signature was missing, malformed or not made with the partner's recorded key.");
    public static readonly AuditEvent RequestDrafted = new(700, "cooperation.request-drafted", "cooperation", false, "A cooperation request was written as a draft.");
    public static readonly AuditEvent RequestUpdated = new(701, "cooperation.request-updated", "cooperation", false, "A draft cooperation request's form changed.");
    public static readonly AuditEvent RequestDeleted = new(702, "cooperation.request-deleted", "cooperation", false, "A draft cooperation request that was never sent was deleted.");
    public static readonly AuditEvent RequestSent = new(703, "cooperation.request-sent", "cooperation", false, "A cooperation request was sent; its clocks started (written in both parties' trails).");
    public static readonly AuditEvent RequestAcknowledged = new(704, "cooperation.request-acknowledged", "cooperation", false, "The addressed organisation acknowledged receipt of a request (both trails).");
    public static readonly AuditEvent RequestStatusChanged = new(705, "cooperation.status-changed", "cooperation", false, "A request moved on: in progress, answered, partially answered, refused, closed or withdrawn (both trails).");
    public static readonly AuditEvent PreservationExtended = new(706, "cooperation.preservation-extended", "cooperation", false, "A preservation's period was extended (both trails).");
    public static readonly AuditEvent RequestAttachmentAdded = new(707, "cooperation.attachment-added", "cooperation", false, "A file was attached to a request or its answer (both trails).");
    public static readonly AuditEvent RequestAttachmentRead = new(708, "cooperation.attachment-read", "cooperation", true, "A request's attachment was downloaded.");
    public static readonly AuditEvent RequestRead = new(709, "cooperation.request-read", "cooperation", true, "One cooperation request (facts, identifiers of people) was read.");
    public static readonly AuditEvent RequestReminded = new(710, "cooperation.reminder-issued", "cooperation", false, "The clock sweep reminded the person responsible that a request's deadline is near or passed.");
    public static readonly AuditEvent RequestEscalated = new(711, "cooperation.escalated", "cooperation", false, "The clock sweep escalated a missed deadline to the responsible organisation's 24/7 contact.");
    public static readonly AuditEvent RequestReceived = new(712, "cooperation.request-received", "cooperation", false, "A request from an organisation on a partner node arrived for one of this node's organisations; a signed delivery receipt went back.");
    public static readonly AuditEvent RequestDelivered = new(713, "cooperation.request-delivered", "cooperation", false, "The partner node a request was sent to returned its delivery receipt, verified against its pinned key.");
    public static readonly AuditEvent ContactPointAdded = new(720, "cooperation.contact-added", "cooperation", false, "An organisation added a contact to the 24/7 point-of-contact directory.");
    public static readonly AuditEvent ContactPointChanged = new(721, "cooperation.contact-changed", "cooperation", false, "A 24/7 directory contact's details, languages, time zone or key changed.");
    public static readonly AuditEvent ContactPointRemoved = new(722, "cooperation.contact-removed", "cooperation", false, "A contact was removed from the 24/7 directory.");
    public static readonly AuditEvent PartnerContactReceived = new(723, "cooperation.partner-contact-received", "cooperation", false, "A partner node added, changed or removed a 24/7 contact of one of its organisations in this node's directory.");
    public static readonly AuditEvent ProvisionRecorded = new(730, "cooperation.provision-recorded", "cooperation", false, "A national provision was mapped to a Convention offence in the legislation catalogue.");
    public static readonly AuditEvent ProvisionChanged = new(731, "cooperation.provision-changed", "cooperation", false, "A mapped national provision's citation, title or notes changed.");
    public static readonly AuditEvent ProvisionRemoved = new(732, "cooperation.provision-removed", "cooperation", false, "A national provision was removed from the legislation catalogue.");
    public static readonly AuditEvent LegislationImported = new(733, "cooperation.legislation-imported", "cooperation", false, "A legislation catalogue file was imported.");
    public static readonly AuditEvent StixImported = new(800, "federation.stix-imported", "federation", false, "A STIX 2.1 bundle was imported: its objects stored, simple indicators recorded as Ribat indicators.");
    public static readonly AuditEvent StixExported = new(801, "federation.stix-exported", "federation", true, "STIX 2.1 objects were exported as a bundle.");
    public static readonly AuditEvent TaxiiObjectsAdded = new(810, "federation.taxii-objects-added", "federation", false, "STIX objects were posted to a TAXII collection.");
    public static readonly AuditEvent TaxiiObjectsRead = new(811, "federation.taxii-objects-read", "federation", true, "STIX objects, their versions or a collection's manifest were read through TAXII.");
    public static readonly AuditEvent TaxiiObjectDeleted = new(812, "federation.taxii-object-deleted", "federation", false, "A STIX object (all or some of its versions) was deleted through TAXII.");
    public static readonly AuditEvent IncidentOpened = new(600, "incidents.incident-opened", "incidents", false, "An incident was opened.");
    public static readonly AuditEvent IncidentUpdated = new(601, "incidents.incident-updated", "incidents", false, "An incident's content, participants or terms changed.");
    public static readonly AuditEvent IncidentStatusChanged = new(602, "incidents.status-changed", "incidents", false, "An incident moved to another status (triage … closed, rejected, merged, reopened).");
    public static readonly AuditEvent IncidentAcknowledged = new(603, "incidents.acknowledged", "incidents", false, "A participant organisation acknowledged an incident shared with it.");
    public static readonly AuditEvent TimelineEntryRecorded = new(610, "incidents.timeline-entry-recorded", "incidents", false, "An organisation added an entry to an incident's shared timeline.");
    public static readonly AuditEvent TimelineEntryEdited = new(611, "incidents.timeline-entry-edited", "incidents", false, "The organisation that wrote a timeline entry corrected it.");
    public static readonly AuditEvent IncidentTaskAssigned = new(612, "incidents.task-assigned", "incidents", false, "A task was created for a participant organisation (or one of its people).");
    public static readonly AuditEvent IncidentTaskUpdated = new(613, "incidents.task-updated", "incidents", false, "A task's content, assignee, due date or status changed.");
    public static readonly AuditEvent SitrepDrafted = new(620, "incidents.sitrep-drafted", "incidents", false, "A new version of a situation report was drafted from the incident's data.");
    public static readonly AuditEvent SitrepEdited = new(621, "incidents.sitrep-edited", "incidents", false, "A draft situation report was edited.");
    public static readonly AuditEvent SitrepPublished = new(622, "incidents.sitrep-published", "incidents", false, "A situation report version was published to the incident's participants.");
    public static readonly AuditEvent IncidentLinked = new(630, "incidents.linked", "incidents", false, "An indicator, report or value was linked to an incident.");
    public static readonly AuditEvent IncidentUnlinked = new(631, "incidents.unlinked", "incidents", false, "A link between an incident and an indicator, report or value was removed.");
    public static readonly AuditEvent PartnerIncidentReceived = new(640, "incidents.partner-incident-received", "incidents", false, "A partner node sent a new version of an incident its organisation leads, shared with organisations of this node.");
    public static readonly AuditEvent PartnerIncidentPartReceived = new(641, "incidents.partner-part-received", "incidents", false, "A partner organisation's timeline entry, task, task progress, situation report, acknowledgement or link was written into an incident held here.");
    public static readonly AuditEvent NotificationAcknowledged = new(650, "notifications.acknowledged", "notifications", false, "A person acknowledged a notification to them or their organisation.");
    public static readonly AuditEvent NotificationDeliveryFailed = new(651, "notifications.delivery-failed", "notifications", false, "A webhook or e-mail copy of a notification failed for good after its last retry.");
    public static readonly AuditEvent NotificationEscalated = new(652, "notifications.escalated", "notifications", false, "A notification nobody acknowledged in time was escalated to the whole organisation.");
    public static readonly AuditEvent WebhookAdded = new(653, "notifications.webhook-added", "notifications", false, "An organisation administrator added a webhook.");
    public static readonly AuditEvent WebhookRemoved = new(654, "notifications.webhook-removed", "notifications", false, "An organisation administrator removed a webhook.");
    public static readonly AuditEvent OnCallShiftAdded = new(660, "readiness.shift-added", "readiness", false, "A shift was added to an organisation's on-call roster.");
    public static readonly AuditEvent OnCallShiftRemoved = new(661, "readiness.shift-removed", "readiness", false, "A shift was removed from an organisation's on-call roster.");
    public static readonly AuditEvent PlaybookWritten = new(670, "playbooks.written", "playbooks", false, "An organisation wrote a response playbook.");
    public static readonly AuditEvent PlaybookApplied = new(671, "playbooks.applied", "playbooks", false, "A playbook was applied to an incident and its steps became tasks.");
    public static readonly AuditEvent PartnerPlaybookReceived = new(672, "playbooks.partner-playbook-received", "playbooks", false, "A partner node sent a new version of a playbook one of its organisations wrote.");
    public static readonly AuditEvent ProviderAdded = new(740, "cooperation.provider-added", "cooperation", false, "A service provider or registrar was added to the knowledge base.");
    public static readonly AuditEvent ProviderChanged = new(741, "cooperation.provider-changed", "cooperation", false, "What the knowledge base says about a provider changed.");
    public static readonly AuditEvent RequestFormPrinted = new(742, "cooperation.form-printed", "cooperation", true, "A request's printable form (PDF) was produced for a party to it.");
    public static readonly AuditEvent ProvidersImported = new(743, "cooperation.providers-imported", "cooperation", false, "A provider knowledge base file was imported.");
    public static readonly AuditEvent PartnerProviderReceived = new(744, "cooperation.partner-provider-received", "cooperation", false, "A partner node added or changed a provider knowledge-base entry it keeps, shown read-only in this node's knowledge base.");

    public static readonly AuditEvent AuditLogRead = new(900, "audit.log-read", "audit", true, "The audit log was read.");
    public static readonly AuditEvent AuditLogExported = new(901, "audit.log-exported", "audit", true, "The audit log was exported.");

    public static readonly AuditEvent ExerciseStarted = new(1000, "exercises.started", "exercises", false, "An exercise run of a scenario started on this node.");
    public static readonly AuditEvent ExerciseInjectPlayed = new(1001, "exercises.inject-played", "exercises", false, "An inject of an exercise was played: an incident, timeline entry, indicator, sighting or e-mail of the exercise.");
    public static readonly AuditEvent ExerciseInjectFailed = new(1002, "exercises.inject-failed", "exercises", false, "An inject of an exercise failed and was recorded with its reason.");
    public static readonly AuditEvent ExerciseEnded = new(1003, "exercises.ended", "exercises", false, "An exercise run ended after its last inject, or was stopped.");
    public static readonly AuditEvent ExerciseReportRead = new(1010, "exercises.report-read", "exercises", true, "The after-action report of an exercise run was read.");

    public static IReadOnlyList<AuditEvent> All { get; } = typeof(AuditEvents)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(AuditEvent))
        .Select(f => (AuditEvent)f.GetValue(null)!)
        .OrderBy(e => e.Code)
        .ToArray();

    public static AuditEvent? Find(int code) => All.FirstOrDefault(e => e.Code == code);
}
