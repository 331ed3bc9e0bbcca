using Ribat.Core.Evidence;

namespace Ribat.Tests.Cases;

public sealed class CustodyChainTests
{
    private static (EvidenceItem Item, List<CustodyEntry> Chain) Build(int steps)
    {
        var item = new EvidenceItem
        {
            Id = Guid.CreateVersion7(),
            CaseId = Guid.CreateVersion7(),
            FileName = "disk.img",
            Md5 = new string('a', 32),
            Sha1 = new string('b', 40),
            Sha256 = new string('c', 64),
            AcquiredByName = "ana",
            AcquiredAt = DateTimeOffset.UnixEpoch,
            RecordedAt = DateTimeOffset.UnixEpoch,
            SealNumber = "S-1",
        };
        var chain = new List<CustodyEntry>();
        var previous = CustodyChain.Genesis;
        for (var i = 1; i <= steps; i++)
        {
            var entry = new CustodyEntry
            {
                EvidenceId = item.Id,
                Sequence = i,
                Action = i == 1 ? CustodyAction.Acquire : CustodyAction.Access,
                ActorName = "ana",
                OccurredAt = DateTimeOffset.UnixEpoch.AddMinutes(i),
                VerifiedSha256 = item.Sha256,
                AcquisitionDigest = i == 1 ? CustodyChain.AcquisitionDigest(item) : null,
            };
            CustodyChain.Link(entry, previous);
            previous = entry.Hash;
            chain.Add(entry);
        }

        item.CustodyCount = steps;
        return (item, chain);
    }

    [Fact]
    public void A_whole_chain_has_no_problem()
    {
        var (item, chain) = Build(4);
        VerifyEvidence.CheckChain(item, chain).Should().BeEmpty();
    }

    [Fact]
    public void Each_kind_of_tampering_is_named_by_its_entry()
    {
        var (item, chain) = Build(5);
        chain[2].Notes = "edited";
        VerifyEvidence.CheckChain(item, chain).Should().ContainSingle().Which.Should().Be(((int?)3, "entry 3 was altered: its content no longer matches its hash"));

        (item, chain) = Build(5);
        chain.RemoveAt(3);
        VerifyEvidence.CheckChain(item, chain).Select(p => p.Entry).Should().Equal(5);

        (item, chain) = Build(5);
        chain.RemoveAt(4);
        VerifyEvidence.CheckChain(item, chain).Should().ContainSingle().Which.Problem.Should().Contain("the last were removed");

        (item, chain) = Build(3);
        item.Sha256 = new string('d', 64);
        VerifyEvidence.CheckChain(item, chain).Should().ContainSingle().Which.Should().Be(((int?)1, "the acquisition record or the file's hashes were changed after acquisition (they no longer match entry 1)"));

        (item, chain) = Build(3);
        (chain[1].Sequence, chain[2].Sequence) = (3, 2);
        VerifyEvidence.CheckChain(item, chain).Should().NotBeEmpty();
    }

    [Fact]
    public void The_hash_covers_every_field_of_an_entry()
    {
        var (_, chain) = Build(2);
        var entry = chain[1];
        var original = entry.Hash;
        foreach (var change in new Action<CustodyEntry>[]
                 {
                     e => e.Action = CustodyAction.Copy, e => e.ActorName = "eve", e => e.ActorUserId = Guid.NewGuid(), e => e.FromUserId = Guid.NewGuid(),
                     e => e.ToUserId = Guid.NewGuid(), e => e.SealNumber = "S-2", e => e.Notes = "x", e => e.VerifiedSha256 = new string('e', 64),
                     e => e.OccurredAt = e.OccurredAt.AddTicks(10), e => e.EvidenceId = Guid.NewGuid(), e => e.PreviousHash = new string('1', 64),
                 })
        {
            var copy = new CustodyEntry
            {
                EvidenceId = entry.EvidenceId,
                Sequence = entry.Sequence,
                Action = entry.Action,
                ActorName = entry.ActorName,
                OccurredAt = entry.OccurredAt,
                VerifiedSha256 = entry.VerifiedSha256,
                PreviousHash = entry.PreviousHash,
            };
            change(copy);
            CustodyChain.ComputeHash(copy).Should().NotBe(original);
        }
    }
}
