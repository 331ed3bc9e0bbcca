using FluentAssertions;
using Ribat.Core.Cases.Subjects;
using Ribat.Web.Components.Pages.Cases;

namespace Ribat.Web.Tests;

/// <summary>What the subject form sends: the fields of the kind only, aliases by line, attributes by name, and the version edited.</summary>
public sealed class SubjectFormTests
{
    private static readonly DateTimeOffset Saved = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static SubjectDto Person() => new(
        Guid.CreateVersion7(), Guid.CreateVersion7(), "person", "Karim Benali", "Karim Benali", null, null, null, ["Benali, Karim", "K."],
        new DateOnly(1985, 4, 12), null, ["TN", "FR"], new Dictionary<string, string> { ["Role"] = "Money mule", ["Address"] = "Tunis" },
        "Seen at the bank.", new SourceDto("finding", Guid.CreateVersion7(), null), 0, Saved, Saved);

    [Fact]
    public void An_edit_sends_back_every_field_as_saved_with_the_version_it_was_made_from()
    {
        var subject = Person();
        var (input, repeated) = SubjectForm.Of(subject).ToInput();
        repeated.Should().BeNull();
        input!.Kind.Should().Be("person");
        input.Name.Should().Be("Karim Benali");
        input.Aliases.Should().Equal("Benali, Karim", "K.");
        input.DateOfBirth.Should().Be(new DateOnly(1985, 4, 12));
        input.Nationalities.Should().Equal("TN", "FR");
        input.Attributes.Should().BeEquivalentTo(subject.Attributes);
        input.Notes.Should().Be("Seen at the bank.");
        input.Source.Should().Be(new SourceInput("finding", subject.Source.Id, null), "a subject taken from a finding keeps it as its source");
        input.BaseUpdatedAt.Should().Be(Saved);
        input.Value.Should().BeNull();
        input.IncorporatedOn.Should().BeNull();
    }

    [Fact]
    public void Attributes_are_kept_by_name_so_a_name_given_twice_is_refused_before_sending_and_empty_rows_are_dropped()
    {
        var form = SubjectForm.Of(Person());
        form.Attributes.Select(a => a.Key).Should().Equal("Address", "Role");
        form.Attributes.Add(new SubjectForm.AttributeRow());
        form.Attributes.Add(new SubjectForm.AttributeRow { Key = " Role ", Value = "Organiser" });
        form.ToInput().RepeatedAttribute.Should().Be("Role");

        form.Attributes.RemoveAt(form.Attributes.Count - 1);
        form.ToInput().Input!.Attributes!.Keys.Should().BeEquivalentTo("Address", "Role");

        form.Attributes.Add(new SubjectForm.AttributeRow { Value = "a value without a name" });
        form.ToInput().Input!.Attributes!.Should().ContainKey(string.Empty, "the store names the missing name rather than the form dropping a typed value");
    }

    [Fact]
    public void Only_the_fields_of_the_kind_are_sent_and_an_identifier_sends_its_value()
    {
        var form = new SubjectForm
        {
            Kind = "crypto-wallet",
            Value = " 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa ",
            Name = "Ransom wallet",
            DateOfBirth = new DateTime(1985, 4, 12),
            Countries = "TN",
            Aliases = "\n  first \n\nsecond\n",
            SourceText = "Ransom note",
        };
        var input = form.ToInput().Input!;
        input.Value.Should().Be(" 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa ");
        input.Name.Should().Be("Ransom wallet");
        input.DateOfBirth.Should().BeNull();
        input.Nationalities.Should().BeNull();
        input.Aliases.Should().Equal("first", "second");
        input.BaseUpdatedAt.Should().BeNull("a new subject has no version");

        form.Kind = "organisation";
        form.IncorporatedOn = new DateTime(2019, 6, 30);
        form.Countries = "ma; tn  fr";
        input = form.ToInput().Input!;
        input.Value.Should().BeNull();
        input.IncorporatedOn.Should().Be(new DateOnly(2019, 6, 30));
        input.DateOfBirth.Should().BeNull();
        input.Nationalities.Should().Equal("ma", "tn", "fr");
    }

    [Fact]
    public void A_source_of_kind_text_needs_its_text_before_the_form_may_save()
    {
        new SubjectForm { Name = "x" }.MaySave.Should().BeFalse();
        new SubjectForm { Name = "x", SourceText = "  " }.MaySave.Should().BeFalse();
        new SubjectForm { Name = "x", SourceText = "Witness" }.MaySave.Should().BeTrue();
        SubjectForm.Of(Person()).MaySave.Should().BeTrue("a finding is a source without text");
    }

    [Fact]
    public void The_typed_edit_previewed_beside_a_newer_version_shows_what_was_typed()
    {
        var subject = Person();
        var form = SubjectForm.Of(subject);
        form.Notes = "Arrested in Sousse.";
        form.Countries = "tn";
        form.Attributes.Add(new SubjectForm.AttributeRow { Key = "IMEI", Value = "356938035643809" });
        var preview = form.Preview(subject);
        preview.Id.Should().Be(subject.Id);
        preview.Notes.Should().Be("Arrested in Sousse.");
        preview.Nationalities.Should().Equal("TN");
        preview.Attributes.Should().ContainKey("IMEI");
        preview.Aliases.Should().Equal(subject.Aliases);
    }
}
