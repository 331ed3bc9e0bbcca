using System.Globalization;
using Ribat.Core.Tenancy;

namespace Ribat.Web.Dates;

/// <summary>
/// The one place dates become text. Gregorian or Hijri (Umm al-Qura, the calendar Saudi Arabia and most
/// of the Gulf publish) per user; month names in the user's language. Times are UTC and say so, because
/// the people reading an audit trail sit in different time zones.
/// </summary>
public static class DateDisplay
{
    private static readonly UmAlQuraCalendar UmmAlQura = new();

    private static readonly string[] HijriMonthsArabic =
        ["محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة", "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة"];

    private static readonly string[] HijriMonthsLatin =
        ["Muharram", "Safar", "Rabi' al-Awwal", "Rabi' al-Thani", "Jumada al-Ula", "Jumada al-Akhirah", "Rajab", "Sha'ban", "Ramadan", "Shawwal", "Dhu al-Qa'dah", "Dhu al-Hijjah"];

    private static readonly string[] GregorianMonthsArabic =
        ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"];

    public static string Date(DateTimeOffset value, string language, CalendarPreference calendar)
    {
        var utc = value.UtcDateTime;
        if (calendar == CalendarPreference.Hijri && utc >= UmmAlQura.MinSupportedDateTime && utc <= UmmAlQura.MaxSupportedDateTime)
        {
            var day = UmmAlQura.GetDayOfMonth(utc);
            var month = UmmAlQura.GetMonth(utc) - 1;
            var year = UmmAlQura.GetYear(utc);
            return language == Languages.Arabic
                ? $"{day} {HijriMonthsArabic[month]} {year} هـ"
                : $"{day} {HijriMonthsLatin[month]} {year} AH";
        }

        var name = language switch
        {
            Languages.Arabic => GregorianMonthsArabic[utc.Month - 1],
            Languages.French => CultureInfo.GetCultureInfo("fr-FR").DateTimeFormat.GetMonthName(utc.Month),
            _ => CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(utc.Month),
        };
        return $"{utc.Day} {name} {utc.Year}";
    }

    public static string DateTime(DateTimeOffset value, string language, CalendarPreference calendar) =>
        $"{Date(value, language, calendar)} {value.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC";

    public static CalendarPreference ParseCalendar(string? claim) =>
        string.Equals(claim, "hijri", StringComparison.OrdinalIgnoreCase) ? CalendarPreference.Hijri : CalendarPreference.Gregorian;
}
