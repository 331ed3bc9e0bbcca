using Ribat.Core.Common;
using Ribat.Core.Incidents;

namespace Ribat.Core.Tests.Incidents;

public sealed class IncidentStatusMachineTests
{
    private static readonly Guid Other = Guid.CreateVersion7();

    [Fact]
    public void The_response_path_is_walked_one_stage_at_a_time()
    {
        IncidentStatus[] path =
        [
            IncidentStatus.Reported, IncidentStatus.Triage, IncidentStatus.Confirmed, IncidentStatus.Containment,
            IncidentStatus.Eradication, IncidentStatus.Recovery, IncidentStatus.Closed,
        ];
        for (var i = 1; i < path.Length; i++)
        {
            IncidentStatusMachine.Check(path[i - 1], path[i], null, null).Should().BeNull($"{path[i - 1]} → {path[i]} is the next stage");
        }

        IncidentStatusMachine.Check(IncidentStatus.Containment, IncidentStatus.Recovery, null, null).Should().BeNull("containment may also have removed the cause");
    }

    [Theory]
    [InlineData(IncidentStatus.Reported, IncidentStatus.Confirmed)]
    [InlineData(IncidentStatus.Reported, IncidentStatus.Closed)]
    [InlineData(IncidentStatus.Triage, IncidentStatus.Containment)]
    [InlineData(IncidentStatus.Confirmed, IncidentStatus.Rejected)]
    [InlineData(IncidentStatus.Containment, IncidentStatus.Triage)]
    [InlineData(IncidentStatus.Recovery, IncidentStatus.Containment)]
    [InlineData(IncidentStatus.Closed, IncidentStatus.Triage)]
    [InlineData(IncidentStatus.Closed, IncidentStatus.Merged)]
    [InlineData(IncidentStatus.Rejected, IncidentStatus.Closed)]
    public void Skipping_or_going_back_is_refused_naming_the_allowed_moves(IncidentStatus from, IncidentStatus to)
    {
        var error = IncidentStatusMachine.Check(from, to, "because", to == IncidentStatus.Merged ? Other : null);
        error.Should().NotBeNull();
        error!.Kind.Should().Be(ErrorKind.Conflict);
        error.Message.Should().Contain($"from {from.Spell()} to {to.Spell()}");
        foreach (var allowed in IncidentStatusMachine.AllowedFrom(from))
        {
            error.Message.Should().Contain(allowed.Spell());
        }
    }

    [Fact]
    public void Merged_is_final()
    {
        foreach (var to in Enum.GetValues<IncidentStatus>().Where(s => s != IncidentStatus.Merged))
        {
            IncidentStatusMachine.Check(IncidentStatus.Merged, to, "undo", null)!.Message.Should().Contain("merged is final");
        }
    }

    [Fact]
    public void Rejecting_merging_and_reopening_need_a_reason_and_merging_a_target()
    {
        IncidentStatusMachine.Check(IncidentStatus.Triage, IncidentStatus.Rejected, " ", null)!.Fields!.Keys.Should().Equal("reason");
        IncidentStatusMachine.Check(IncidentStatus.Closed, IncidentStatus.Recovery, null, null)!.Fields!.Keys.Should().Equal("reason");
        IncidentStatusMachine.Check(IncidentStatus.Rejected, IncidentStatus.Triage, null, null)!.Fields!.Keys.Should().Equal("reason");
        IncidentStatusMachine.Check(IncidentStatus.Confirmed, IncidentStatus.Merged, "duplicate", null)!.Fields!.Keys.Should().Equal("mergeInto");
        IncidentStatusMachine.Check(IncidentStatus.Confirmed, IncidentStatus.Merged, null, Other)!.Fields!.Keys.Should().Equal("reason");
        IncidentStatusMachine.Check(IncidentStatus.Confirmed, IncidentStatus.Containment, null, Other)!.Fields!.Keys.Should().Equal("mergeInto");
        IncidentStatusMachine.Check(IncidentStatus.Confirmed, IncidentStatus.Merged, "duplicate", Other).Should().BeNull();
        IncidentStatusMachine.Check(IncidentStatus.Triage, IncidentStatus.Triage, null, null)!.Message.Should().Contain("already triage");
    }

    [Theory]
    [InlineData("containment", IncidentStatus.Containment)]
    [InlineData(" Closed ", IncidentStatus.Closed)]
    public void Statuses_parse_by_name(string text, IncidentStatus expected)
    {
        IncidentStatusMachine.TryParse(text, out var status).Should().BeTrue();
        status.Should().Be(expected);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("3")]
    [InlineData("open,closed")]
    [InlineData("solved")]
    public void Anything_else_is_not_a_status(string? text) => IncidentStatusMachine.TryParse(text, out _).Should().BeFalse();
}
