using System.Linq.Expressions;

namespace Portal.Data.Entries;

/// <summary>
/// The one rule for what the public may see: published, not flagged 依法不宜公开, and its listing period
/// (if any) not yet over. Every public read applies it, whatever the index says.
/// </summary>
public static class EntryVisibility
{
    public static Expression<Func<Entry, bool>> IsPublicOn(DateOnly today) =>
        e => e.Status == EntryStatus.Published && !e.NonPublic && (e.ListingEndsAt == null || e.ListingEndsAt >= today);

    public static bool IsPublic(this Entry e, DateOnly today) =>
        e.Status == EntryStatus.Published && !e.NonPublic && (e.ListingEndsAt is null || e.ListingEndsAt >= today);
}
