using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Portal.Data.Clients;

namespace Portal.Data.Persistence.EntityConfigurations;

internal sealed class ApiClientConfiguration : IEntityTypeConfiguration<ApiClient>
{
    public void Configure(EntityTypeBuilder<ApiClient> b)
    {
        b.ToTable("api_clients");
        b.HasKey(c => c.Id);
        b.Property(c => c.Name).HasMaxLength(200).IsRequired();
        b.Property(c => c.Kind).HasConversion(new EnumToStringConverter<ClientKind>()).HasMaxLength(16);
        b.Property(c => c.Contact).HasMaxLength(200);
        b.Property(c => c.Category).HasMaxLength(24);
        b.Property(c => c.Scopes).HasMaxLength(64).IsRequired();
        b.Property(c => c.WebhookUrl).HasMaxLength(500);
        b.Property(c => c.WebhookSecretCipher).HasMaxLength(1000);
        b.Property(c => c.PageUrlPattern).HasMaxLength(500);
        b.Property(c => c.KeyPrefix).HasMaxLength(8).IsRequired();
        b.HasIndex(c => c.KeyPrefix).IsUnique();
        b.Property(c => c.KeyHash).HasMaxLength(64).IsRequired();
        b.Property(c => c.CreatedBy).HasMaxLength(100).IsRequired();
        b.Ignore(c => c.ScopeList);
        b.Ignore(c => c.IsActive);
    }
}

internal sealed class ClientReceiptConfiguration : IEntityTypeConfiguration<ClientReceipt>
{
    public void Configure(EntityTypeBuilder<ClientReceipt> b)
    {
        b.ToTable("client_receipts");
        b.HasKey(r => new { r.EntryId, r.ClientId }); // removal looks up by entry
        b.Property(r => r.Via).HasMaxLength(16).IsRequired();
    }
}

internal sealed class TakedownNoticeConfiguration : IEntityTypeConfiguration<TakedownNotice>
{
    public void Configure(EntityTypeBuilder<TakedownNotice> b)
    {
        b.ToTable("takedown_notices");
        b.HasKey(n => n.Id);
        b.Property(n => n.PublicId).HasMaxLength(16).IsRequired();
        b.Property(n => n.CaseNumber).HasMaxLength(64).IsRequired();
        b.Property(n => n.Court).HasMaxLength(100).IsRequired();
        b.Property(n => n.Action).HasConversion(new EnumToStringConverter<Lifecycle.EntryAction>()).HasMaxLength(16);
        b.Property(n => n.CheckNote).HasMaxLength(500);
        b.HasIndex(n => new { n.ClientId, n.AcknowledgedAt });
        b.HasIndex(n => n.DueOn);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> b)
    {
        b.ToTable("webhook_deliveries");
        b.HasKey(d => d.Id);
        b.Property(d => d.Status).HasConversion(new EnumToStringConverter<DeliveryStatus>()).HasMaxLength(16);
        b.Property(d => d.Feed).HasConversion(new EnumToStringConverter<DeliveryFeed>()).HasMaxLength(16);
        b.Property(d => d.LastError).HasMaxLength(500);
        b.HasIndex(d => new { d.Status, d.NextAttemptAt });
        b.HasIndex(d => d.ClientId);
    }
}

internal sealed class VerificationReceiptConfiguration : IEntityTypeConfiguration<VerificationReceipt>
{
    public void Configure(EntityTypeBuilder<VerificationReceipt> b)
    {
        b.ToTable("verification_receipts");
        b.HasKey(r => r.Id);
        b.Property(r => r.Id).HasMaxLength(16);
        b.Property(r => r.ClientName).HasMaxLength(200).IsRequired();
        b.Property(r => r.RequestDigest).HasMaxLength(64).IsRequired();
        b.Property(r => r.ResultDigest).HasMaxLength(64).IsRequired();
        b.Property(r => r.Signature).HasMaxLength(64).IsRequired();
        b.HasIndex(r => r.ClientId);
    }
}

internal sealed class QueryCertificateConfiguration : IEntityTypeConfiguration<Publication.QueryCertificate>
{
    public void Configure(EntityTypeBuilder<Publication.QueryCertificate> b)
    {
        b.ToTable("query_certificates");
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).HasMaxLength(16);
        b.Property(c => c.Query).HasMaxLength(Publication.QueryCertificate.MaxQueryLength).IsRequired();
        b.Property(c => c.Scope).HasMaxLength(300).IsRequired();
        b.Property(c => c.Items).IsRequired();
        b.Property(c => c.Signature).HasMaxLength(64).IsRequired();
    }
}

internal sealed class KeyApplicationConfiguration : IEntityTypeConfiguration<KeyApplication>
{
    public void Configure(EntityTypeBuilder<KeyApplication> b)
    {
        b.ToTable("key_applications");
        b.HasKey(a => a.Id);
        b.Property(a => a.Status).HasConversion(new EnumToStringConverter<KeyApplicationStatus>()).HasMaxLength(16);
        b.Property(a => a.Reference).HasMaxLength(32).IsRequired();
        b.HasIndex(a => a.Reference).IsUnique();
        b.Property(a => a.SubmissionHash).HasMaxLength(64).IsRequired();
        b.HasIndex(a => a.SubmissionHash).IsUnique();
        b.Property(a => a.TokenHash).HasMaxLength(64).IsRequired();
        b.HasIndex(a => a.TokenHash).IsUnique();
        b.Property(a => a.Institution).HasMaxLength(KeyApplication.MaxInstitution).IsRequired();
        b.Property(a => a.Kind).HasConversion(new EnumToStringConverter<ClientKind>()).HasMaxLength(16);
        b.Property(a => a.CreditCode).HasMaxLength(18).IsRequired();
        b.Property(a => a.ContactPerson).HasMaxLength(KeyApplication.MaxPerson).IsRequired();
        b.Property(a => a.ContactChannel).HasConversion(new EnumToStringConverter<Applications.ContactChannel>()).HasMaxLength(8);
        b.Property(a => a.ContactCipher).HasMaxLength(1000).IsRequired();
        b.Property(a => a.ContactMasked).HasMaxLength(200).IsRequired();
        b.Property(a => a.Purpose).HasMaxLength(KeyApplication.MaxPurpose).IsRequired();
        b.Property(a => a.Scopes).HasMaxLength(64).IsRequired();
        b.Property(a => a.DecidedBy).HasMaxLength(100);
        b.Property(a => a.RefusalReason).HasMaxLength(KeyApplication.MaxReason);
        b.Property(a => a.KeyCipher).HasMaxLength(1000);
        b.Ignore(a => a.ScopeList);
        b.HasIndex(a => new { a.Status, a.ReceivedAt });
    }
}

internal sealed class WatchedSubjectConfiguration : IEntityTypeConfiguration<WatchedSubject>
{
    public void Configure(EntityTypeBuilder<WatchedSubject> b)
    {
        b.ToTable("watched_subjects");
        b.HasKey(w => w.Id);
        b.Property(w => w.Reference).HasMaxLength(64).IsRequired();
        b.Property(w => w.SubjectType).HasConversion(new EnumToStringConverter<Entries.SubjectType>()).HasMaxLength(16);
        b.Property(w => w.NameKey).HasMaxLength(100).IsRequired();
        b.Property(w => w.NumberHash).HasMaxLength(64).IsRequired();
        b.Property(w => w.FamilyKey).HasMaxLength(64);
        b.HasIndex(w => new { w.ClientId, w.Reference }).IsUnique();
        b.HasIndex(w => new { w.ClientId, w.FamilyKey });
        b.HasIndex(w => w.NumberHash);
    }
}

internal sealed class WatchEventConfiguration : IEntityTypeConfiguration<WatchEvent>
{
    public void Configure(EntityTypeBuilder<WatchEvent> b)
    {
        b.ToTable("watch_events");
        b.HasKey(e => e.Id);
        b.Property(e => e.Reference).HasMaxLength(64).IsRequired();
        b.Property(e => e.Type).HasConversion(new EnumToStringConverter<WatchEventType>()).HasMaxLength(16);
        b.Property(e => e.MatchedOn).HasMaxLength(24).IsRequired();
        b.Property(e => e.PublicId).HasMaxLength(16).IsRequired();
        b.Property(e => e.CaseNumber).HasMaxLength(64).IsRequired();
        b.Property(e => e.Court).HasMaxLength(100).IsRequired();
        b.HasIndex(e => new { e.ClientId, e.Id });
    }
}
