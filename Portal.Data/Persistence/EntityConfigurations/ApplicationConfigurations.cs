using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Portal.Data.Applications;

namespace Portal.Data.Persistence.EntityConfigurations;

internal sealed class ApplicationConfiguration : IEntityTypeConfiguration<Application>
{
    public void Configure(EntityTypeBuilder<Application> b)
    {
        b.ToTable("applications");
        b.HasKey(a => a.Id);
        b.Property(a => a.Kind).HasConversion(new EnumToStringConverter<ApplicationKind>()).HasMaxLength(16);
        b.Property(a => a.Status).HasConversion(new EnumToStringConverter<ApplicationStatus>()).HasMaxLength(16);
        b.Property(a => a.TrackingHash).HasMaxLength(64).IsRequired();
        b.HasIndex(a => a.TrackingHash).IsUnique();
        b.Property(a => a.SubmissionHash).HasMaxLength(64).IsRequired();
        b.HasIndex(a => a.SubmissionHash).IsUnique();
        b.Property(a => a.CaseNumber).HasMaxLength(64);
        b.Property(a => a.CourtCode).HasMaxLength(16).IsRequired();
        b.Property(a => a.Court).HasMaxLength(100).IsRequired();
        b.Property(a => a.Grounds).HasMaxLength(200).IsRequired();
        b.Property(a => a.Text).HasMaxLength(4000).IsRequired();
        b.Property(a => a.IdentityHash).HasMaxLength(64);
        b.Property(a => a.ContactChannel).HasConversion(new EnumToStringConverter<ContactChannel>()).HasMaxLength(8);
        b.Property(a => a.ContactCipher).HasMaxLength(1000).IsRequired();
        b.Property(a => a.ContactMasked).HasMaxLength(200).IsRequired();
        b.Property(a => a.AddressHash).HasMaxLength(64).IsRequired();
        b.Property(a => a.DecidedBy).HasMaxLength(100);
        b.Property(a => a.Decision).HasMaxLength(4000);
        b.Property(a => a.DecidingUnit).HasMaxLength(200);
        b.Ignore(a => a.GroundList);
        b.HasIndex(a => new { a.Status, a.CourtCode, a.DueBy });
        b.HasIndex(a => new { a.EntryId, a.ReceivedAt });
        b.HasIndex(a => new { a.AddressHash, a.ReceivedAt });
    }
}

internal sealed class ApplicationAttachmentConfiguration : IEntityTypeConfiguration<ApplicationAttachment>
{
    public void Configure(EntityTypeBuilder<ApplicationAttachment> b)
    {
        b.ToTable("application_attachments");
        b.HasKey(a => a.Id);
        b.Property(a => a.FileName).HasMaxLength(100).IsRequired();
        b.Property(a => a.ContentType).HasMaxLength(32).IsRequired();
        b.Property(a => a.Sha256).HasMaxLength(64).IsRequired();
        b.Property(a => a.Content).IsRequired();
        b.HasIndex(a => a.ApplicationId);
    }
}

internal sealed class ApplicationStepConfiguration : IEntityTypeConfiguration<ApplicationStep>
{
    public void Configure(EntityTypeBuilder<ApplicationStep> b)
    {
        b.ToTable("application_steps");
        b.HasKey(s => s.Id);
        b.Property(s => s.Status).HasConversion(new EnumToStringConverter<ApplicationStatus>()).HasMaxLength(16);
        b.Property(s => s.Note).HasMaxLength(4000).IsRequired();
        b.HasIndex(s => s.ApplicationId);
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.ToTable("notifications");
        b.HasKey(n => n.Id);
        b.Property(n => n.Channel).HasConversion(new EnumToStringConverter<ContactChannel>()).HasMaxLength(8);
        b.Property(n => n.ContactCipher).HasMaxLength(1000).IsRequired();
        b.Property(n => n.Subject).HasMaxLength(200).IsRequired();
        b.Property(n => n.Body).HasMaxLength(8000).IsRequired();
        b.Property(n => n.LastError).HasMaxLength(500);
        b.HasIndex(n => new { n.SentAt, n.Dead, n.NextAttemptAt });
    }
}
