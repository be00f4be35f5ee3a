using System.ComponentModel.DataAnnotations;

namespace Portal.Web.Screens;

/// <summary>The <c>Display</c> configuration section: courts' outdoor LED screens and kiosks.</summary>
public sealed class DisplayOptions
{
    public const string Section = "Display";

    /// <summary>The longest a screen may go without asking again: a removed entry is gone from it at the next refresh.</summary>
    public const int MaxRefreshSeconds = 60;

    /// <summary>Seconds a screen shows before it asks for the next one (at most <see cref="MaxRefreshSeconds"/>).</summary>
    [Range(5, MaxRefreshSeconds)] public int RefreshSeconds { get; set; } = 20;

    /// <summary>Entries on one screen (a short table); a small LED panel asks for one with ?per=1.</summary>
    [Range(1, 20)] public int EntriesPerScreen { get; set; } = 5;

    /// <summary>Minutes a display operator has to take a removed entry off its screens and acknowledge it.</summary>
    [Range(1, 1440)] public int TakedownMinutes { get; set; } = 60;
}
