using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data.Persistence.EntityConfigurations;

internal sealed class PortalSettingConfiguration : IEntityTypeConfiguration<PortalSetting>
{
    public void Configure(EntityTypeBuilder<PortalSetting> b)
    {
        b.ToTable("portal_settings");
        b.HasKey(s => s.Name);
        b.Property(s => s.Name).HasMaxLength(64);
        b.Property(s => s.Value).IsRequired();
    }
}

internal sealed class IdLookupMissConfiguration : IEntityTypeConfiguration<Privacy.IdLookupMiss>
{
    public void Configure(EntityTypeBuilder<Privacy.IdLookupMiss> b)
    {
        b.ToTable("id_lookup_misses");
        b.HasKey(m => new { m.Caller, m.Family });
        b.Property(m => m.Caller).HasMaxLength(64);
        b.Property(m => m.Family).HasMaxLength(80);
        b.Property(m => m.Tried).IsRequired();
        b.Property(m => m.Masked).HasMaxLength(20);
    }
}
