namespace Portal.Data.Persistence;

/// <summary>A named fact the portal keeps about its own data: checks of the keys it was written with, the demo mark.</summary>
public sealed class PortalSetting
{
    public const string IdHashKeyCheck = "id-hash-key-check";
    public const string CipherKeyCheck = "cipher-key-check";
    public const string DemoData = "demo-data";

    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
}
