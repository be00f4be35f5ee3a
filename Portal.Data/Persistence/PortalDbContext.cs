using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Portal.Data.Entries;
using Portal.Data.Persistence.EntityConfigurations;

namespace Portal.Data.Persistence;

public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options) : DbContext(options)
{
    public DbSet<Entry> Entries => Set<Entry>();
    public DbSet<SchemaVersion> SchemaVersions => Set<SchemaVersion>();
    public DbSet<Lifecycle.EntryEvent> EntryEvents => Set<Lifecycle.EntryEvent>();
    public DbSet<Audit.AuditRecord> AuditRecords => Set<Audit.AuditRecord>();
    public DbSet<Clients.ApiClient> ApiClients => Set<Clients.ApiClient>();
    public DbSet<Clients.ClientReceipt> ClientReceipts => Set<Clients.ClientReceipt>();
    public DbSet<Clients.TakedownNotice> TakedownNotices => Set<Clients.TakedownNotice>();
    public DbSet<Clients.WebhookDelivery> WebhookDeliveries => Set<Clients.WebhookDelivery>();
    public DbSet<Clients.VerificationReceipt> VerificationReceipts => Set<Clients.VerificationReceipt>();
    public DbSet<PortalSetting> Settings => Set<PortalSetting>();
    public DbSet<Privacy.IdLookupMiss> IdLookupMisses => Set<Privacy.IdLookupMiss>();
    public DbSet<Courts.StaffCourt> StaffCourts => Set<Courts.StaffCourt>();
    public DbSet<Courts.CourtRecord> CourtRecords => Set<Courts.CourtRecord>();
    public DbSet<Applications.Application> Applications => Set<Applications.Application>();
    public DbSet<Applications.ApplicationAttachment> ApplicationAttachments => Set<Applications.ApplicationAttachment>();
    public DbSet<Applications.ApplicationStep> ApplicationSteps => Set<Applications.ApplicationStep>();
    public DbSet<Applications.Notification> Notifications => Set<Applications.Notification>();
    public DbSet<Measures.MeasureKind> MeasureKinds => Set<Measures.MeasureKind>();
    public DbSet<Measures.Measure> Measures => Set<Measures.Measure>();
    public DbSet<Measures.MeasureLift> MeasureLifts => Set<Measures.MeasureLift>();
    public DbSet<Measures.MeasureEvent> MeasureEvents => Set<Measures.MeasureEvent>();
    public DbSet<Publication.QueryCertificate> QueryCertificates => Set<Publication.QueryCertificate>();
    public DbSet<Clients.KeyApplication> KeyApplications => Set<Clients.KeyApplication>();
    public DbSet<Clients.WatchedSubject> WatchedSubjects => Set<Clients.WatchedSubject>();
    public DbSet<Clients.WatchEvent> WatchEvents => Set<Clients.WatchEvent>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new EntryConfiguration());
        modelBuilder.ApplyConfiguration(new SchemaVersionConfiguration());
        modelBuilder.ApplyConfiguration(new EntryEventConfiguration());
        modelBuilder.ApplyConfiguration(new AuditRecordConfiguration());
        modelBuilder.ApplyConfiguration(new ApiClientConfiguration());
        modelBuilder.ApplyConfiguration(new ClientReceiptConfiguration());
        modelBuilder.ApplyConfiguration(new TakedownNoticeConfiguration());
        modelBuilder.ApplyConfiguration(new WebhookDeliveryConfiguration());
        modelBuilder.ApplyConfiguration(new VerificationReceiptConfiguration());
        modelBuilder.ApplyConfiguration(new QueryCertificateConfiguration());
        modelBuilder.ApplyConfiguration(new KeyApplicationConfiguration());
        modelBuilder.ApplyConfiguration(new WatchedSubjectConfiguration());
        modelBuilder.ApplyConfiguration(new WatchEventConfiguration());
        modelBuilder.ApplyConfiguration(new PortalSettingConfiguration());
        modelBuilder.ApplyConfiguration(new IdLookupMissConfiguration());
        modelBuilder.ApplyConfiguration(new ApplicationConfiguration());
        modelBuilder.ApplyConfiguration(new ApplicationAttachmentConfiguration());
        modelBuilder.ApplyConfiguration(new ApplicationStepConfiguration());
        modelBuilder.ApplyConfiguration(new NotificationConfiguration());
        modelBuilder.ApplyConfiguration(new MeasureKindConfiguration());
        modelBuilder.ApplyConfiguration(new MeasureConfiguration());
        modelBuilder.ApplyConfiguration(new MeasureLiftConfiguration());
        modelBuilder.ApplyConfiguration(new MeasureEventConfiguration());
        modelBuilder.Entity<Courts.StaffCourt>(b =>
        {
            b.ToTable("staff_courts");
            b.HasKey(s => s.UserName);
            b.Property(s => s.UserName).HasMaxLength(256);
            b.Property(s => s.CourtCode).HasMaxLength(16).IsRequired();
        });
        modelBuilder.Entity<Courts.CourtRecord>(b =>
        {
            b.ToTable("courts");
            b.HasKey(c => c.Code);
            b.Property(c => c.Code).HasMaxLength(16);
            b.Property(c => c.Name).HasMaxLength(100).IsRequired();
            b.Property(c => c.Level).HasConversion(new Microsoft.EntityFrameworkCore.Storage.ValueConversion.EnumToStringConverter<Courts.CourtLevel>()).HasMaxLength(16);
            b.Property(c => c.Kind).HasMaxLength(16).IsRequired();
            b.Property(c => c.SuperiorCode).HasMaxLength(16);
            b.Property(c => c.Province).HasMaxLength(8).IsRequired();
            b.Property(c => c.City).HasMaxLength(32).IsRequired();
            b.Property(c => c.Region).HasMaxLength(6);
            b.Property(c => c.FormerCodes).IsRequired();
            b.Property(c => c.FormerNames).IsRequired();
            b.Property(c => c.ChangedBy).HasMaxLength(256).IsRequired();
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every timestamp is UTC; SQLite does not keep the kind, so restore it on the way out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }
}

/// <summary>One row per applied schema step; the highest version is the database's.</summary>
public sealed class SchemaVersion
{
    public int Version { get; set; }
    public string Description { get; set; } = "";
    public DateTime AppliedAt { get; set; }
}

internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
