using FluentAssertions;
using Ribat.Core.Tenancy;
using Ribat.Web.Dates;

namespace Ribat.Web.Tests;

public sealed class DateDisplayTests
{
    private static readonly DateTimeOffset TwelfthMay2017 = new(2017, 5, 12, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Hijri_date_is_the_umm_al_qura_date_with_a_transliterated_month() =>
        DateDisplay.Date(TwelfthMay2017, Languages.English, CalendarPreference.Hijri).Should().Be("16 Sha'ban 1438 AH");

    [Fact]
    public void Hijri_date_in_arabic_uses_the_arabic_month_name() =>
        DateDisplay.Date(TwelfthMay2017, Languages.Arabic, CalendarPreference.Hijri).Should().Be("16 شعبان 1438 هـ");

    [Fact]
    public void Hijri_date_in_french_is_transliterated_too() =>
        DateDisplay.Date(TwelfthMay2017, Languages.French, CalendarPreference.Hijri).Should().Be("16 Sha'ban 1438 AH");

    [Theory]
    [InlineData(Languages.English, "12 May 2017")]
    [InlineData(Languages.French, "12 mai 2017")]
    [InlineData(Languages.Arabic, "12 مايو 2017")]
    public void Gregorian_date_names_the_month_in_the_users_language(string language, string expected) =>
        DateDisplay.Date(TwelfthMay2017, language, CalendarPreference.Gregorian).Should().Be(expected);

    [Fact]
    public void Date_and_time_is_in_utc_and_says_so() =>
        DateDisplay.DateTime(TwelfthMay2017.ToOffset(TimeSpan.FromHours(3)), Languages.English, CalendarPreference.Hijri)
            .Should().Be("16 Sha'ban 1438 AH 09:30 UTC");

    [Fact]
    public void The_hijri_day_follows_the_utc_date_not_the_offset()
    {
        // 23:30 on 11 May at UTC+3 is 20:30 UTC: still 11 May, so still 15 Sha'ban.
        var lateEvening = new DateTimeOffset(2017, 5, 11, 23, 30, 0, TimeSpan.FromHours(3));
        DateDisplay.Date(lateEvening, Languages.English, CalendarPreference.Hijri).Should().Be("15 Sha'ban 1438 AH");
    }

    [Theory]
    [InlineData("hijri", CalendarPreference.Hijri)]
    [InlineData("HIJRI", CalendarPreference.Hijri)]
    [InlineData("gregorian", CalendarPreference.Gregorian)]
    [InlineData(null, CalendarPreference.Gregorian)]
    [InlineData("julian", CalendarPreference.Gregorian)]
    public void Calendar_claim_parses_and_defaults_to_gregorian(string? claim, CalendarPreference expected) =>
        DateDisplay.ParseCalendar(claim).Should().Be(expected);
}
