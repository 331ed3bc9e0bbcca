using Ribat.Core.Audit;

namespace Ribat.Core.Tests;

public sealed class AuditChainTests
{
    private static AuditEntry Entry(long sequence = 1, string previous = "") => new()
    {
        Sequence = sequence,
        PreviousHash = previous.Length == 0 ? AuditChain.Genesis : previous,
        OccurredAt = new DateTimeOffset(2026, 11, 22, 10, 30, 0, TimeSpan.Zero).AddTicks(1234560),
        Code = AuditEvents.UserCreated.Code,
        Event = AuditEvents.UserCreated.Name,
        OrganisationId = Guid.Parse("0190f1a0-1111-7000-8000-000000000001"),
        ActorUserId = Guid.Parse("0190f1a0-2222-7000-8000-000000000002"),
        ActorName = "amina@cert.example",
        TargetType = "user",
        TargetId = "0190f1a0-3333-7000-8000-000000000003",
        Details = "{\"roles\":[\"analyst\"]}",
        Address = "192.0.2.10",
    };

    /// <summary>Links rows the way the database does when it saves them.</summary>
    private static List<AuditEntry> Chain(int count)
    {
        var rows = new List<AuditEntry>();
        var previous = AuditChain.Genesis;
        for (var i = 1; i <= count; i++)
        {
            var row = Entry(i, previous);
            row.Details = $"{{\"n\":{i}}}";
            row.Hash = AuditChain.ComputeHash(row);
            previous = row.Hash;
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The same walk as <see cref="VerifyAuditChain"/>: rows in sequence order, first problem wins.</summary>
    private static string? Verify(IEnumerable<AuditEntry> rows)
    {
        long expected = 1;
        var previous = AuditChain.Genesis;
        foreach (var row in rows.OrderBy(r => r.Sequence))
        {
            if (AuditChain.Check(row, expected, previous) is { } problem)
            {
                return problem;
            }

            previous = row.Hash;
            expected++;
        }

        return null;
    }

    public static TheoryData<string> Fields => new()
    {
        "prev", "seq", "at", "code", "event", "org", "actorId", "actor", "targetType", "targetId", "details", "address",
    };

    private static void Alter(AuditEntry e, string field)
    {
        switch (field)
        {
            case "prev": e.PreviousHash = new string('1', 64); break;
            case "seq": e.Sequence++; break;
            case "at": e.OccurredAt = e.OccurredAt.AddTicks(10); break;
            case "code": e.Code++; break;
            case "event": e.Event += "x"; break;
            case "org": e.OrganisationId = Guid.Parse("0190f1a0-1111-7000-8000-000000000009"); break;
            case "actorId": e.ActorUserId = null; break;
            case "actor": e.ActorName = "Amina@cert.example"; break;
            case "targetType": e.TargetType = null; break;
            case "targetId": e.TargetId = string.Empty; break;
            case "details": e.Details = "{\"roles\":[\"node-admin\"]}"; break;
            case "address": e.Address = "192.0.2.11"; break;
            default: throw new ArgumentOutOfRangeException(nameof(field));
        }
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public void Changing_any_field_changes_the_hash(string field)
    {
        var original = AuditChain.ComputeHash(Entry());
        var altered = Entry();
        Alter(altered, field);

        AuditChain.ComputeHash(altered).Should().NotBe(original, $"the hash must cover '{field}'");
    }

    [Fact]
    public void Hash_is_lower_case_hex_sha256_and_stable()
    {
        var hash = AuditChain.ComputeHash(Entry());

        hash.Should().MatchRegex("^[0-9a-f]{64}$");
        AuditChain.ComputeHash(Entry()).Should().Be(hash);
    }

    [Fact]
    public void Null_and_empty_text_hash_differently()
    {
        var withNull = Entry();
        withNull.Details = null;
        var withEmpty = Entry();
        withEmpty.Details = string.Empty;

        AuditChain.ComputeHash(withNull).Should().NotBe(AuditChain.ComputeHash(withEmpty));
    }

    [Fact]
    public void Timestamps_are_normalised_to_utc_microseconds()
    {
        var stored = Entry();
        var precise = Entry();
        precise.OccurredAt = stored.OccurredAt.AddTicks(7); // below a microsecond: the database drops it
        var shifted = Entry();
        shifted.OccurredAt = stored.OccurredAt.ToOffset(TimeSpan.FromHours(3)); // same instant, other offset

        AuditChain.ComputeHash(precise).Should().Be(AuditChain.ComputeHash(stored));
        AuditChain.ComputeHash(shifted).Should().Be(AuditChain.ComputeHash(stored));
        var normalised = AuditChain.Normalise(precise.OccurredAt.ToOffset(TimeSpan.FromHours(-5)));
        normalised.Offset.Should().Be(TimeSpan.Zero);
        normalised.UtcTicks.Should().Be(stored.OccurredAt.UtcTicks);
    }

    [Fact]
    public void An_intact_chain_verifies()
    {
        Verify(Chain(5)).Should().BeNull();
        AuditChain.Check(Chain(1)[0], 1, AuditChain.Genesis).Should().BeNull();
    }

    [Fact]
    public void An_altered_row_is_named()
    {
        var rows = Chain(5);
        rows[2].Details = "{\"n\":99}";

        Verify(rows).Should().Be("row 3 was altered: its content no longer matches its hash");
    }

    [Fact]
    public void A_rehashed_row_breaks_the_link_of_the_next_row()
    {
        var rows = Chain(5);
        rows[2].ActorName = "someone else";
        rows[2].Hash = AuditChain.ComputeHash(rows[2]);

        Verify(rows).Should().StartWith("row 4 does not link");
    }

    [Fact]
    public void A_missing_row_is_named()
    {
        var rows = Chain(5);
        rows.RemoveAt(2);

        Verify(rows).Should().Be("row 3 is missing (next row found is 4)");
    }

    [Fact]
    public void A_removed_last_row_cannot_be_detected_by_the_chain_alone()
    {
        // Documents the limit: truncating the tail leaves a valid shorter chain; the head hash must be kept elsewhere.
        var rows = Chain(5);
        var head = rows[^2].Hash;
        rows.RemoveAt(4);

        Verify(rows).Should().BeNull();
        rows[^1].Hash.Should().Be(head);
    }

    [Fact]
    public void Swapped_rows_are_detected()
    {
        var rows = Chain(5);
        (rows[1].Sequence, rows[2].Sequence) = (rows[2].Sequence, rows[1].Sequence);

        Verify(rows).Should().StartWith("row 2 ");
    }

    [Fact]
    public void An_out_of_order_row_is_named()
    {
        var rows = Chain(3);

        AuditChain.Check(rows[0], 2, rows[0].Hash).Should().Be("row 1 is out of order (expected 2)");
        AuditChain.Check(rows[2], 2, rows[0].Hash).Should().Be("row 2 is missing (next row found is 3)");
    }
}
