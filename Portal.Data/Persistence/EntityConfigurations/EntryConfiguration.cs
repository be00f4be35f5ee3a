using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Portal.Data.Entries;

namespace Portal.Data.Persistence.EntityConfigurations;

internal sealed class EntryConfiguration : IEntityTypeConfiguration<Entry>
{
    public void Configure(EntityTypeBuilder<Entry> b)
    {
        b.ToTable("entries");
        b.HasKey(e => e.Id);
        b.Property(e => e.PublicId).HasMaxLength(16).IsRequired();
        b.HasIndex(e => e.PublicId).IsUnique();
        b.Property(e => e.CaseNumber).HasMaxLength(64).IsRequired();
        b.Property(e => e.CaseNumberKey).HasMaxLength(64).IsRequired();
        b.HasIndex(e => e.CaseNumberKey);
        b.Property(e => e.SubjectType).HasConversion(new EnumToStringConverter<SubjectType>()).HasMaxLength(16);
        b.Property(e => e.Name).HasMaxLength(100).IsRequired();
        b.Property(e => e.IdNumberCipher).HasMaxLength(512);
        b.Property(e => e.IdNumberHash).HasMaxLength(64);
        b.HasIndex(e => e.IdNumberHash);
        b.Property(e => e.IdNumberMasked).HasMaxLength(18);
        b.Property(e => e.Gender).HasConversion(new EnumToStringConverter<Gender>()).HasMaxLength(8);
        b.Property(e => e.CreditCode).HasMaxLength(18);
        b.HasIndex(e => e.CreditCode);
        b.Property(e => e.LegalRepresentative).HasMaxLength(100);
        b.Property(e => e.LegalRepresentativeIdCipher).HasMaxLength(512);
        b.Property(e => e.LegalRepresentativeIdHash).HasMaxLength(64);
        b.Property(e => e.LegalRepresentativeIdFamily).HasMaxLength(16);
        b.HasIndex(e => e.LegalRepresentativeIdHash);
        b.Property(e => e.Court).HasMaxLength(100).IsRequired();
        b.Property(e => e.CourtCode).HasMaxLength(16).IsRequired();
        b.Property(e => e.Province).HasMaxLength(8).IsRequired();
        b.Property(e => e.BasisDocumentNumber).HasMaxLength(200).IsRequired();
        b.Property(e => e.BasisIssuer).HasMaxLength(200).IsRequired();
        b.Property(e => e.Obligation).IsRequired();
        b.Property(e => e.PerformanceStatus).HasConversion(new EnumToStringConverter<PerformanceStatus>()).HasMaxLength(16);
        b.Property(e => e.Circumstances).HasConversion(
            v => string.Join(',', v.Codes()),
            v => DomainLabels.ParseCircumstancesCsv(v)).HasMaxLength(120);
        b.Property(e => e.PerformedAmount).HasPrecision(18, 2);
        b.Property(e => e.UnperformedAmount).HasPrecision(18, 2);
        b.Property(e => e.Status).HasConversion(new EnumToStringConverter<EntryStatus>()).HasMaxLength(16);
        b.HasIndex(e => new { e.Status, e.NonPublic });
        b.Property(e => e.EmployerUnit).HasMaxLength(200);
        b.Property(e => e.RiskNoticeMethod).HasConversion(new EnumToStringConverter<ServiceMethod>()).HasMaxLength(16);
        b.Property(e => e.RemovalGround).HasConversion(new EnumToStringConverter<RemovalGround>()).HasMaxLength(16);
        b.Property(e => e.RemovalReason).HasMaxLength(2000);
        b.HasIndex(e => e.TriggerEventDate);
        b.HasIndex(e => new { e.CourtCode, e.PublishedAt }); // a court's staff see its entries; browsing a court month by month (step 9)
        b.HasIndex(e => e.UpdatedAt); // the index stamp reads MAX(UpdatedAt) on every change
    }
}

internal sealed class EntryEventConfiguration : IEntityTypeConfiguration<Lifecycle.EntryEvent>
{
    public void Configure(EntityTypeBuilder<Lifecycle.EntryEvent> b)
    {
        b.ToTable("entry_events");
        b.HasKey(e => e.Id);
        b.Property(e => e.PublicId).HasMaxLength(16).IsRequired();
        b.Property(e => e.CaseNumber).HasMaxLength(64).IsRequired();
        b.Property(e => e.Court).HasMaxLength(100).IsRequired();
        b.Property(e => e.Action).HasConversion(new EnumToStringConverter<Lifecycle.EntryAction>()).HasMaxLength(16);
        b.HasIndex(e => e.EntryId);
        b.HasIndex(e => new { e.Action, e.At });
    }
}

internal sealed class AuditRecordConfiguration : IEntityTypeConfiguration<Audit.AuditRecord>
{
    public void Configure(EntityTypeBuilder<Audit.AuditRecord> b)
    {
        b.ToTable("audit_records");
        b.HasKey(r => r.Sequence);
        b.Property(r => r.Sequence).ValueGeneratedNever();
        b.Property(r => r.Actor).HasMaxLength(100).IsRequired();
        b.Property(r => r.Action).HasMaxLength(40).IsRequired();
        b.Property(r => r.CaseNumber).HasMaxLength(64);
        b.Property(r => r.Reason).HasMaxLength(2000);
        b.Property(r => r.PreviousHash).HasMaxLength(64).IsRequired();
        b.Property(r => r.Hash).HasMaxLength(64).IsRequired();
        b.HasIndex(r => r.EntryId);
    }
}

internal sealed class SchemaVersionConfiguration : IEntityTypeConfiguration<Persistence.SchemaVersion>
{
    public void Configure(EntityTypeBuilder<Persistence.SchemaVersion> b)
    {
        b.ToTable("schema_versions");
        b.HasKey(v => v.Version);
        b.Property(v => v.Version).ValueGeneratedNever();
        b.Property(v => v.Description).HasMaxLength(200);
    }
}
