using Ribat.Core.Sharing;
using static Ribat.Core.Tests.Sharing.SharingWorld;

namespace Ribat.Core.Tests.Sharing;

/// <summary>
/// Named situations a liaison officer or analyst would recognise, each with the answer written out as
/// "see | reshare | court | enrich", where a "no" lists the codes the UI shows.
/// </summary>
public sealed class SharingPolicyGoldenTests
{
    public static TheoryData<string, string, SharingTerms, string> Scenarios => new()
    {
        {
            "police unit in partner nation, TLP:AMBER, connected communities, H2", "partner org",
            Terms(Tlp.Amber, Pap.Amber, Distribution.ConnectedCommunities, HandlingCodes.H2),
            "yes | no: tlp-amber-stays-in-organisation, h2-onward-sharing-needs-permission | no: tlp-court-use-needs-permission | no: pap-amber-passive-only"
        },
        {
            "CERT on the same node, TLP:GREEN, community, no handling codes", "neighbour",
            Terms(Tlp.Green, Pap.Green, Distribution.Community),
            "yes | yes | yes | yes"
        },
        {
            "CERT on the same node, TLP:RED, community", "neighbour",
            Terms(Tlp.Red, Pap.Clear, Distribution.Community),
            "no: tlp-recipients-only | no | no | no"
        },
        {
            "named recipient abroad, TLP:RED, organisation only", "recipient abroad",
            Terms(Tlp.Red, Pap.Red, Distribution.OrganisationOnly) with { Recipients = Recipients },
            "yes | no: tlp-red-no-further-disclosure, distribution-organisation-only | no: tlp-court-use-needs-permission | no: pap-red-no-network-use"
        },
        {
            "named recipient, TLP:AMBER+STRICT, H1 with court use granted", "recipient at home",
            Terms(Tlp.AmberStrict, Pap.Green, Distribution.Community, HandlingCodes.H1) with
            {
                Recipients = Recipients,
                Permissions = SharingPermissions.None.GrantCourtUse(RecipientAtHome),
            },
            "yes | no: tlp-amber-strict-stays-in-organisation | yes | yes"
        },
        {
            "agency on a node the owner does not federate with, TLP:CLEAR, connected communities", "far org",
            Terms(Tlp.Clear, Pap.Clear, Distribution.ConnectedCommunities),
            "no: outside-connected-communities | no | no | no"
        },
        {
            "partner-nation agency, TLP:GREEN, this node's community only", "partner org",
            Terms(Tlp.Green, Pap.Green, Distribution.Community),
            "no: outside-community | no | no | no"
        },
        {
            "sharing-group member on a far node, TLP:GREEN, H1+H2", "far org in G",
            Terms(Tlp.Green, Pap.Clear, Distribution.ToSharingGroup(GroupG), HandlingCodes.H1 | HandlingCodes.H2),
            "yes | no: h2-onward-sharing-needs-permission | no: h1-court-use-needs-permission | yes"
        },
        {
            "same-node agency outside the sharing group, TLP:CLEAR", "neighbour",
            Terms(Tlp.Clear, Pap.Clear, Distribution.ToSharingGroup(GroupG)),
            "no: not-in-sharing-group | no | no | no"
        },
        {
            "sharing-group member, H2 lifted by a recorded permission, H3 conditions", "partner org in G",
            Terms(Tlp.Green, Pap.Green, Distribution.ToSharingGroup(GroupG), HandlingCodes.H2 | HandlingCodes.H3) with
            {
                Permissions = SharingPermissions.None.GrantOnwardSharing(PartnerOrgInG),
            },
            "yes | yes | yes | yes"
        },
        {
            "community agency, TLP:GREEN, H3 conditions not yet cleared", "neighbour",
            Terms(Tlp.Green, Pap.Green, Distribution.Community, HandlingCodes.H0 | HandlingCodes.H3),
            "yes | no: h3-conditions-need-permission | yes | yes"
        },
        {
            "owner, TLP:RED, PAP:RED, H1+H2", "owner",
            Terms(Tlp.Red, Pap.Red, Distribution.OrganisationOnly, HandlingCodes.H1 | HandlingCodes.H2),
            "yes | yes | yes | no: pap-red-no-network-use"
        },
        {
            "node administrator browsing, TLP:CLEAR, community", "node admin",
            Terms(Tlp.Clear, Pap.Clear, Distribution.Community),
            "no: administrative-access-is-not-content-access | no | no | no"
        },
        {
            "egress to the federated partner node, TLP:AMBER, connected communities", "partner node",
            Terms(Tlp.Amber, Pap.Green, Distribution.ConnectedCommunities),
            "yes | no: partner-node-only-carries | no: partner-node-only-carries | no: partner-node-only-carries"
        },
        {
            "egress to the partner node, TLP:RED, no recipient there", "partner node",
            Terms(Tlp.Red, Pap.Green, Distribution.ConnectedCommunities),
            "no: tlp-recipients-only | no | no | no"
        },
        {
            "egress to a node hosting a named recipient, TLP:RED", "partner node outside G",
            Terms(Tlp.Red, Pap.Green, Distribution.OrganisationOnly) with { Recipients = Recipients },
            "yes | no: partner-node-only-carries | no: partner-node-only-carries | no: partner-node-only-carries"
        },
        {
            "egress one hop further: a far node, connected communities", "far node",
            Terms(Tlp.Green, Pap.Green, Distribution.ConnectedCommunities),
            "no: outside-connected-communities | no | no | no"
        },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario(string situation, string viewerName, SharingTerms terms, string expected)
    {
        var viewer = Viewers.Single(v => v.Name == viewerName).Viewer;

        Render(SharingPolicy.Decide(viewer, terms)).Should().Be(expected, situation);
    }

    private static string Render(SharingDecision decision) => string.Join(" | ",
        Enum.GetValues<SharingRight>().Select(right =>
        {
            if (decision.Allows(right))
            {
                return "yes";
            }

            var codes = decision.Reasons.Where(d => d.Right == right).Select(d => d.Code.Spell()).ToList();
            return codes.Count == 0 ? "no" : "no: " + string.Join(", ", codes);
        }));
}
