namespace Portal.Tests.Support;

/// <summary>A clock the test moves by hand (no testing package for TimeProvider restores here).</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;
    public override DateTimeOffset GetUtcNow() => _now;
    public void Advance(TimeSpan by) => _now += by;
}
