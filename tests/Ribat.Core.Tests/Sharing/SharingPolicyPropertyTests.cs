using Ribat.Core.Sharing;
using static Ribat.Core.Tests.Sharing.SharingWorld;

namespace Ribat.Core.Tests.Sharing;

/// <summary>
/// Decides every combination of TLP x PAP x distribution x handling-code subset x recorded permissions x
/// named recipients x viewer once, then checks the policy's invariants over the whole table.
/// </summary>
public sealed class SharingPolicyPropertyTests
{
    private sealed record Case(
        Tlp Tlp, Pap Pap, string DistributionName, HandlingCodes Handling, string PermissionName, bool WithRecipients,
        string ViewerName, Viewer Viewer, SharingTerms Terms, SharingDecision Decision)
    {
        public bool IsOrganisation => Viewer.Kind == ViewerKind.Organisation;

        public bool IsOwner => Viewer.Organisation == Owner;

        public bool IsRecipient => Viewer.Organisation is { } o && Terms.Recipients.Contains(o);

        public override string ToString() =>
            $"{ViewerName} / {Tlp.Spell()} {Pap.Spell()} {DistributionName} [{Handling.Spell()}] perms={PermissionName} recipients={WithRecipients} -> {Decision}";
    }

    private readonly record struct Key(Tlp Tlp, Pap Pap, string Distribution, HandlingCodes Handling, string Permissions, bool Recipients, string Viewer);

    private static readonly Lazy<IReadOnlyList<Case>> LazyTable = new(BuildTable);

    private static readonly Lazy<IReadOnlyDictionary<Key, SharingDecision>> LazyIndex = new(() =>
        LazyTable.Value.ToDictionary(c => KeyOf(c), c => c.Decision));

    private static IReadOnlyList<Case> Table => LazyTable.Value;

    private static IReadOnlyList<Case> BuildTable() =>
        (from tlp in Tlps.All
         from pap in Paps.All
         from distribution in Distributions
         from handling in HandlingCodeSpelling.AllCombinations
         from permissions in PermissionSets
         from withRecipients in new[] { false, true }
         let terms = SharingWorld.Terms(tlp, pap, distribution.Distribution, handling) with
         {
             Permissions = permissions.Permissions,
             Recipients = withRecipients ? SharingWorld.Recipients : new HashSet<OrganisationRef>(),
         }
         from viewer in Viewers
         select new Case(
             tlp, pap, distribution.Name, handling, permissions.Name, withRecipients,
             viewer.Name, viewer.Viewer, terms, SharingPolicy.Decide(viewer.Viewer, terms)))
        .ToList();

    private static Key KeyOf(Case c) => new(c.Tlp, c.Pap, c.DistributionName, c.Handling, c.PermissionName, c.WithRecipients, c.ViewerName);

    private static SharingDecision At(Case c, Tlp? tlp = null, string? distribution = null, HandlingCodes? handling = null, string? permissions = null) =>
        LazyIndex.Value[KeyOf(c) with
        {
            Tlp = tlp ?? c.Tlp,
            Distribution = distribution ?? c.DistributionName,
            Handling = handling ?? c.Handling,
            Permissions = permissions ?? c.PermissionName,
        }];

    private static void ForAll(Func<Case, bool> property, string because)
    {
        var broken = Table.Where(c => !property(c)).Take(5).ToList();
        broken.Should().BeEmpty(because);
    }

    [Fact]
    public void The_table_covers_every_combination()
    {
        Table.Should().HaveCount(5 * 4 * 5 * 16 * 5 * 2 * Viewers.Count);
        Table.Select(c => c.Handling).Distinct().Should().HaveCount(16);
        Table.Select(c => c.Terms.Validate()).Should().AllSatisfy(e => e.Should().BeNull());
    }

    [Fact]
    public void Nothing_is_allowed_to_a_viewer_who_may_not_see() =>
        ForAll(
            c => c.Decision.MaySee || (!c.Decision.MayReshare && !c.Decision.MayUseInCourt && !c.Decision.MayEnrichActively
                && c.Decision.Reasons.Count == 1 && c.Decision.Reasons[0].Right == SharingRight.See),
            "every right but seeing implies seeing, and an unseen object explains only why it is unseen");

    [Fact]
    public void Red_and_amber_strict_reach_only_the_owner_and_named_recipients() =>
        ForAll(
            c => c.Tlp is not (Tlp.Red or Tlp.AmberStrict) || !c.Decision.MaySee || c.IsOwner || c.IsRecipient
                || (c.Viewer.Kind == ViewerKind.PartnerNode && c.WithRecipients && c.Viewer.Node == Partner),
            "TLP:RED and TLP:AMBER+STRICT ignore the distribution; only a node hosting a named recipient may carry them");

    [Fact]
    public void Named_recipients_and_the_owner_always_see() =>
        ForAll(c => !(c.IsOwner || c.IsRecipient) || c.Decision.MaySee, "addressing an organisation is the owner's deliberate act");

    [Fact]
    public void The_distribution_is_exactly_the_audience_of_clear_green_and_amber() =>
        ForAll(
            c => c.Tlp is Tlp.Red or Tlp.AmberStrict || !c.IsOrganisation || c.IsOwner || c.IsRecipient
                || c.Decision.MaySee == InAudience(c.Viewer.Organisation!.Value, c.DistributionName),
            "a viewer outside the distribution never sees, and one inside always does");

    [Fact]
    public void Only_a_partner_node_inside_the_audience_or_hosting_a_recipient_is_sent_anything() =>
        ForAll(
            c => c.Viewer.Kind != ViewerKind.PartnerNode
                || c.Decision.MaySee == ((c.WithRecipients && c.Viewer.Node == Partner)
                    || (c.Tlp is not (Tlp.Red or Tlp.AmberStrict) && NodeInAudience(c.Viewer, c.DistributionName))),
            "egress follows the same audience as viewing");

    [Fact]
    public void A_node_administrator_acting_administratively_never_sees_content() =>
        ForAll(
            c => c.Viewer.Kind != ViewerKind.NodeAdministrator
                || (!c.Decision.MaySee && c.Decision.Reasons.Single().Code == DenialCode.AdministrativeAccessIsNotContentAccess),
            "running the node is no reason to read an agency's intelligence");

    [Fact]
    public void A_partner_node_carries_but_has_no_rights_of_its_own() =>
        ForAll(
            c => c.Viewer.Kind != ViewerKind.PartnerNode || !(c.Decision.MayReshare || c.Decision.MayUseInCourt || c.Decision.MayEnrichActively),
            "its organisations are decided again on that node");

    [Fact]
    public void H2_blocks_resharing_until_the_owner_permits_it() =>
        ForAll(
            c => c.IsOwner || !c.Handling.HasFlag(HandlingCodes.H2) || c.PermissionName is "onward" or "court+onward" || !c.Decision.MayReshare,
            "H2: no onward dissemination without the provider's permission");

    [Fact]
    public void H1_blocks_court_use_until_the_owner_permits_it() =>
        ForAll(
            c => c.IsOwner || !c.Handling.HasFlag(HandlingCodes.H1) || c.PermissionName is "court" or "court+onward" || !c.Decision.MayUseInCourt,
            "H1: not for judicial proceedings without the provider's permission");

    [Fact]
    public void Amber_and_stricter_are_never_reshared_by_anyone_but_the_owner() =>
        ForAll(c => c.IsOwner || c.Tlp < Tlp.Amber || !c.Decision.MayReshare, "recorded permissions lift handling codes, never TLP");

    [Fact]
    public void Pap_amber_and_red_forbid_active_enrichment_even_for_the_owner() =>
        ForAll(c => c.Pap is Pap.Clear or Pap.Green || !c.Decision.MayEnrichActively, "PAP:AMBER and PAP:RED allow passive use only");

    [Fact]
    public void The_owner_always_sees_reshares_and_may_go_to_court() =>
        ForAll(c => !c.IsOwner || (c.Decision.MaySee && c.Decision.MayReshare && c.Decision.MayUseInCourt), "the provider needs nobody's permission");

    [Fact]
    public void Loosening_the_tlp_never_takes_a_right_away() =>
        ForAll(
            c => c.Tlp == Tlp.Clear || AtLeast(At(c, tlp: c.Tlp - 1), c.Decision),
            "each TLP step down is at least as permissive in every right");

    [Fact]
    public void Widening_the_distribution_never_takes_a_right_away() =>
        ForAll(
            c => c.DistributionName switch
            {
                "organisation-only" => AtLeast(At(c, distribution: "community"), c.Decision) && AtLeast(At(c, distribution: "group G"), c.Decision)
                    && AtLeast(At(c, distribution: "group H"), c.Decision),
                "community" => AtLeast(At(c, distribution: "connected"), c.Decision),
                _ => true,
            },
            "organisation only < community < connected communities, and a sharing group is wider than organisation only");

    [Fact]
    public void Dropping_a_handling_code_or_recording_a_permission_never_takes_a_right_away() =>
        ForAll(
            c => new[] { HandlingCodes.H0, HandlingCodes.H1, HandlingCodes.H2, HandlingCodes.H3 }
                    .Where(h => c.Handling.HasFlag(h))
                    .All(h => AtLeast(At(c, handling: c.Handling & ~h), c.Decision))
                && (c.PermissionName != "none" || AtLeast(At(c, permissions: "court+onward"), c.Decision)),
            "handling codes only restrict and permissions only relax");

    [Fact]
    public void Permissions_recorded_for_someone_else_change_nothing() =>
        ForAll(c => c.PermissionName != "both to a stranger" || Same(At(c, permissions: "none"), c.Decision), "a permission belongs to the organisation it names");

    [Fact]
    public void H0_and_the_evaluation_inform_but_never_decide()
    {
        ForAll(c => !c.Handling.HasFlag(HandlingCodes.H0) || Same(At(c, handling: c.Handling & ~HandlingCodes.H0), c.Decision), "purpose limitation is shown, not enforced by the machine");
        var terms = SharingWorld.Terms(Tlp.Green, Pap.Green, Distribution.ConnectedCommunities);
        var viewer = Viewers.Single(v => v.Name == "partner org").Viewer;
        Evaluation.All.Select(e => SharingPolicy.Decide(viewer, terms with { Evaluation = e }))
            .Should().AllSatisfy(d => Same(d, SharingPolicy.Decide(viewer, terms)).Should().BeTrue());
    }

    [Fact]
    public void Every_withheld_right_says_why_and_no_granted_right_has_a_reason() =>
        ForAll(
            c => !c.Decision.MaySee || Enum.GetValues<SharingRight>().All(r =>
                c.Decision.Allows(r) != c.Decision.Reasons.Any(d => d.Right == r)),
            "a UI shows the reason for each 'no' and never a reason for a 'yes'");

    [Fact]
    public void Every_denial_code_is_reachable_and_spelled_for_a_ui()
    {
        var produced = Table.SelectMany(c => c.Decision.Reasons).Select(d => d.Code).ToHashSet();
        produced.Should().BeEquivalentTo(Enum.GetValues<DenialCode>(), "a code the table never produces is a dead rule");
        var spellings = Enum.GetValues<DenialCode>().Select(c => c.Spell()).ToList();
        spellings.Should().OnlyHaveUniqueItems().And.OnlyContain(s => s.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch == '-'));
    }

    [Fact]
    public void Undefined_markings_fail_closed()
    {
        var viewer = Viewers.Single(v => v.Name == "neighbour").Viewer;
        var decision = SharingPolicy.Decide(viewer, SharingWorld.Terms((Tlp)42, (Pap)42, Distribution.Community));
        decision.MaySee.Should().BeFalse();
        SharingPolicy.Decide(viewer, SharingWorld.Terms(Tlp.Clear, (Pap)42, Distribution.Community)).MayEnrichActively.Should().BeFalse();
    }

    private static bool InAudience(OrganisationRef organisation, string distribution) => distribution switch
    {
        "community" => organisation.Node == Home,
        "connected" => organisation.Node == Home || organisation.Node == Partner,
        "group G" => GroupGMembers.Contains(organisation),
        _ => false,
    };

    private static bool NodeInAudience(Viewer node, string distribution) => distribution switch
    {
        "connected" => node.Node == Partner,
        "group G" => node.SharingGroups.Contains(GroupG),
        _ => false,
    };

    private static bool AtLeast(SharingDecision wider, SharingDecision narrower) =>
        Enum.GetValues<SharingRight>().All(r => !narrower.Allows(r) || wider.Allows(r));

    private static bool Same(SharingDecision a, SharingDecision b) =>
        a.Relation == b.Relation && Enum.GetValues<SharingRight>().All(r => a.Allows(r) == b.Allows(r)) && a.Reasons.SequenceEqual(b.Reasons);
}
