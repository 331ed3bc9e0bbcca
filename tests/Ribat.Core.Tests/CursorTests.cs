using Ribat.Core.Common;

namespace Ribat.Core.Tests;

public sealed class CursorTests
{
    [Fact]
    public void Guid_cursor_round_trips()
    {
        var id = Guid.CreateVersion7();

        var cursor = Cursor.Encode(id);

        cursor.Should().MatchRegex("^[A-Za-z0-9_-]+$", "a cursor goes into a query string unescaped");
        Cursor.DecodeGuid(cursor).Value.Should().Be(id);
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(123_456_789L)]
    [InlineData(long.MaxValue)]
    public void Sequence_cursor_round_trips(long sequence) =>
        Cursor.DecodeSequence(Cursor.Encode(sequence)).Value.Should().Be(sequence);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void No_cursor_means_the_first_page(string? cursor)
    {
        Cursor.DecodeGuid(cursor).IsSuccess.Should().BeTrue();
        Cursor.DecodeGuid(cursor).Value.Should().BeNull();
        Cursor.DecodeSequence(cursor).Value.Should().BeNull();
    }

    public static TheoryData<string> Garbage => new()
    {
        "not a cursor",
        "!!!!",
        "AAAA",
        "%00%00",
        "A",
        "AAAAA",
        "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRob", // well-formed base64url, wrong length
        new string('A', 5000),
        "' OR 1=1 --",
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Garbage_cursor_is_a_validation_error_naming_the_cursor(string cursor)
    {
        foreach (var error in new[] { Cursor.DecodeGuid(cursor).Error, Cursor.DecodeSequence(cursor).Error })
        {
            error.Should().NotBeNull();
            error!.Kind.Should().Be(ErrorKind.Validation);
            error.Fields.Should().ContainKey("cursor");
        }
    }

    [Fact]
    public void A_cursor_of_one_kind_is_not_accepted_as_the_other()
    {
        Cursor.DecodeGuid(Cursor.Encode(42L)).Error.Should().NotBeNull();
        Cursor.DecodeSequence(Cursor.Encode(Guid.CreateVersion7())).Error.Should().NotBeNull();
    }

    [Fact]
    public void Guid_cursors_sort_like_the_ids_they_encode()
    {
        var ids = Enumerable.Range(0, 50).Select(_ => Guid.CreateVersion7()).ToList();

        ids.Select(id => Cursor.DecodeGuid(Cursor.Encode(id)).Value!.Value).Should().Equal(ids);
    }

    [Theory]
    [InlineData(null, 50)]
    [InlineData(1, 1)]
    [InlineData(500, 500)]
    public void Limit_within_bounds_is_accepted(int? limit, int expected) =>
        Cursor.Limit(limit).Value.Should().Be(expected);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(501)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void Limit_out_of_bounds_is_a_validation_error_naming_limit(int limit)
    {
        var error = Cursor.Limit(limit).Error;

        error.Should().NotBeNull();
        error!.Fields.Should().ContainKey("limit");
        error.Message.Should().Contain("500");
    }
}
