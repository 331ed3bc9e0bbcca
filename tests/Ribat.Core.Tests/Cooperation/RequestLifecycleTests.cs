using Ribat.Core.Common;
using Ribat.Core.Cooperation;

namespace Ribat.Core.Tests.Cooperation;

/// <summary>The request life cycle and its legal clocks, with time given, never read from the machine.</summary>
public sealed class RequestLifecycleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(RequestStatus.Draft, RequestStatus.Sent, RequestParty.Requester)]
    [InlineData(RequestStatus.Sent, RequestStatus.Acknowledged, RequestParty.Addressee)]
    [InlineData(RequestStatus.Acknowledged, RequestStatus.InProgress, RequestParty.Addressee)]
    [InlineData(RequestStatus.InProgress, RequestStatus.PartiallyAnswered, RequestParty.Addressee)]
    [InlineData(RequestStatus.PartiallyAnswered, RequestStatus.Answered, RequestParty.Addressee)]
    [InlineData(RequestStatus.Answered, RequestStatus.Closed, RequestParty.Requester)]
    [InlineData(RequestStatus.Refused, RequestStatus.Closed, RequestParty.Requester)]
    public void Each_allowed_move_belongs_to_one_party(RequestStatus from, RequestStatus to, RequestParty by)
    {
        RequestStatusMachine.Check(from, to, by, null).Should().BeNull();
        var other = by == RequestParty.Requester ? RequestParty.Addressee : RequestParty.Requester;
        RequestStatusMachine.Check(from, to, other, null)!.Kind.Should().Be(ErrorKind.Forbidden);
    }

    [Fact]
    public void Every_move_outside_the_table_is_a_conflict_naming_the_allowed_ones()
    {
        var allowed = 0;
        foreach (var from in Enum.GetValues<RequestStatus>())
        {
            foreach (var to in Enum.GetValues<RequestStatus>())
            {
                var byEither = new[] { RequestParty.Requester, RequestParty.Addressee }.Select(p => RequestStatusMachine.Check(from, to, p, "why")).ToList();
                if (byEither.Any(e => e is null))
                {
                    allowed++;
                    continue;
                }

                byEither.Should().AllSatisfy(e => e!.Kind.Should().BeOneOf(ErrorKind.Conflict, ErrorKind.Forbidden));
                if (byEither.All(e => e!.Kind == ErrorKind.Conflict) && from != to)
                {
                    byEither[0]!.Message.Should().Contain($"from {from.Spell()} to {to.Spell()}");
                }
            }
        }

        allowed.Should().Be(17);
        RequestStatusMachine.AllowedFrom(RequestStatus.Closed, RequestParty.Requester).Should().BeEmpty();
        RequestStatusMachine.AllowedFrom(RequestStatus.Withdrawn, RequestParty.Requester).Should().BeEmpty();
    }

    [Fact]
    public void Refusing_and_withdrawing_need_a_reason()
    {
        RequestStatusMachine.Check(RequestStatus.Sent, RequestStatus.Refused, RequestParty.Addressee, " ")!.Fields!.Keys.Should().Equal("reason");
        RequestStatusMachine.Check(RequestStatus.InProgress, RequestStatus.Withdrawn, RequestParty.Requester, null)!.Fields!.Keys.Should().Equal("reason");
        RequestStatusMachine.Check(RequestStatus.InProgress, RequestStatus.Withdrawn, RequestParty.Requester, "solved")!.Should().BeNull();
    }

    [Fact]
    public void Sending_starts_the_acknowledgement_and_answer_clocks_which_turn_due_soon_then_overdue()
    {
        var request = Request(RequestType.MutualAssistance);
        CooperationClocks.Start(request, T0);
        request.AcknowledgeBy.Should().Be(T0.AddDays(5));
        request.AnswerBy.Should().Be(T0.AddDays(90));

        State(request, T0.AddDays(1), ClockKind.Acknowledgement).Should().Be(ClockState.Running);
        State(request, T0.AddDays(4), ClockKind.Acknowledgement).Should().Be(ClockState.DueSoon, "the last quarter of five days");
        State(request, T0.AddDays(5).AddSeconds(1), ClockKind.Acknowledgement).Should().Be(ClockState.Overdue);

        CooperationClocks.Acknowledge(request, T0.AddDays(6));
        request.Status = RequestStatus.Acknowledged;
        State(request, T0.AddDays(7), ClockKind.Acknowledgement).Should().Be(ClockState.MetLate);
        State(request, T0.AddDays(7), ClockKind.Answer).Should().Be(ClockState.Running);
        CooperationClocks.Of(request, T0.AddDays(7)).Should().NotContain(c => c.Kind == ClockKind.PreservationExpiry, "only a preservation preserves");
    }

    [Fact]
    public void An_emergency_is_acknowledged_within_the_hour()
    {
        var request = Request(RequestType.Emergency);
        CooperationClocks.Start(request, T0);
        State(request, T0.AddMinutes(40), ClockKind.Acknowledgement).Should().Be(ClockState.Running);
        State(request, T0.AddMinutes(50), ClockKind.Acknowledgement).Should().Be(ClockState.DueSoon);
        State(request, T0.AddMinutes(61), ClockKind.Acknowledgement).Should().Be(ClockState.Overdue);
        State(request, T0.AddHours(25), ClockKind.Answer).Should().Be(ClockState.Overdue);
    }

    [Fact]
    public void A_preservation_lasts_its_days_from_acknowledgement_and_an_extension_moves_its_end()
    {
        var request = Request(RequestType.Preservation);
        request.PreservationDays = 90;
        CooperationClocks.Start(request, T0);
        CooperationClocks.Of(request, T0).Should().NotContain(c => c.Kind == ClockKind.PreservationExpiry, "the period starts at acknowledgement");
        CooperationClocks.Acknowledge(request, T0.AddHours(2));
        request.Status = RequestStatus.Acknowledged;
        request.PreservedUntil.Should().Be(T0.AddHours(2).AddDays(90));

        State(request, T0.AddDays(70), ClockKind.PreservationExpiry).Should().Be(ClockState.Running);
        State(request, T0.AddDays(80), ClockKind.PreservationExpiry).Should().Be(ClockState.DueSoon);
        State(request, T0.AddDays(91), ClockKind.PreservationExpiry).Should().Be(ClockState.Overdue);

        CooperationClocks.Extend(request, 60, T0.AddDays(80)).Should().Be(T0.AddHours(2).AddDays(150), "an extension runs from the current end");
        State(request, T0.AddDays(91), ClockKind.PreservationExpiry).Should().Be(ClockState.Running);
        CooperationClocks.Extend(request, 10, T0.AddDays(200)).Should().Be(T0.AddDays(210), "once expired, from now");
        request.Extensions.Should().Be(2);

        request.Status = RequestStatus.Closed;
        CooperationClocks.Of(request, T0.AddDays(300)).Should().NotContain(c => c.Kind == ClockKind.PreservationExpiry);
    }

    [Fact]
    public void A_clock_stopped_by_withdrawal_is_neither_met_nor_overdue()
    {
        var request = Request(RequestType.DomainRegistration);
        CooperationClocks.Start(request, T0);
        request.Status = RequestStatus.Withdrawn;
        State(request, T0.AddDays(40), ClockKind.Answer).Should().Be(ClockState.Stopped);
    }

    private static CooperationRequest Request(RequestType type) =>
        new() { Id = Guid.CreateVersion7(), Type = type, Status = RequestStatus.Sent, Subject = "s", RequestedCountry = "FR" };

    private static ClockState State(CooperationRequest request, DateTimeOffset now, ClockKind kind) =>
        CooperationClocks.Of(request, now).Single(c => c.Kind == kind).State;
}
