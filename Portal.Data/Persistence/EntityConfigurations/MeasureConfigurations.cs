using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Portal.Data.Measures;

namespace Portal.Data.Persistence.EntityConfigurations;

internal sealed class MeasureKindConfiguration : IEntityTypeConfiguration<MeasureKind>
{
    public void Configure(EntityTypeBuilder<MeasureKind> b)
    {
        b.ToTable("measure_kinds");
        b.HasKey(k => k.Code);
        b.Property(k => k.Code).HasMaxLength(40);
        b.Property(k => k.Name).HasMaxLength(100).IsRequired();
        b.Property(k => k.LegalBasis).HasMaxLength(500).IsRequired();
        b.Property(k => k.Subjects).HasMaxLength(200).IsRequired();
        b.Property(k => k.ChangedBy).HasMaxLength(256).IsRequired();
        b.Ignore(k => k.SubjectList);
    }
}

internal sealed class MeasureConfiguration : IEntityTypeConfiguration<Measure>
{
    public void Configure(EntityTypeBuilder<Measure> b)
    {
        b.ToTable("measures");
        b.HasKey(m => m.Id);
        b.Property(m => m.PublicId).HasMaxLength(16).IsRequired();
        b.Property(m => m.CaseNumber).HasMaxLength(64).IsRequired();
        b.Property(m => m.CourtCode).HasMaxLength(16).IsRequired();
        b.Property(m => m.Court).HasMaxLength(100).IsRequired();
        b.Property(m => m.MeasureCode).HasMaxLength(40).IsRequired();
        b.Property(m => m.Subject).HasMaxLength(32).IsRequired();
        b.Property(m => m.Reference).HasMaxLength(100);
        b.Property(m => m.Status).HasConversion(new EnumToStringConverter<MeasureStatus>()).HasMaxLength(16);
        b.Ignore(m => m.InForce);
        b.HasIndex(m => new { m.ClientId, m.Status });
        b.HasIndex(m => new { m.EntryId, m.Status }); // a removal finds the measures in force on its entry
    }
}

internal sealed class MeasureLiftConfiguration : IEntityTypeConfiguration<MeasureLift>
{
    public void Configure(EntityTypeBuilder<MeasureLift> b)
    {
        b.ToTable("measure_lifts");
        b.HasKey(l => l.Id);
        b.Property(l => l.PublicId).HasMaxLength(16).IsRequired();
        b.Property(l => l.CaseNumber).HasMaxLength(64).IsRequired();
        b.Property(l => l.CourtCode).HasMaxLength(16).IsRequired();
        b.Property(l => l.Court).HasMaxLength(100).IsRequired();
        b.Property(l => l.MeasureCode).HasMaxLength(40).IsRequired();
        b.Property(l => l.Cause).HasConversion(new EnumToStringConverter<LiftCause>()).HasMaxLength(24);
        b.HasIndex(l => new { l.ClientId, l.LiftedOn });
        b.HasIndex(l => l.MeasureId);
        b.HasIndex(l => l.DueOn);
    }
}

internal sealed class MeasureEventConfiguration : IEntityTypeConfiguration<MeasureEvent>
{
    public void Configure(EntityTypeBuilder<MeasureEvent> b)
    {
        b.ToTable("measure_events");
        b.HasKey(e => e.Id);
        b.Property(e => e.Type).HasConversion(new EnumToStringConverter<MeasureEventType>()).HasMaxLength(16);
        b.Property(e => e.Note).HasMaxLength(500);
        b.HasIndex(e => new { e.ClientId, e.Id });
    }
}
