using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data.Persistence;
using Portal.Data.Privacy;
using Portal.Search.Analysis;
using Portal.Search.Index;
using Portal.Web.DemoData;
using Portal.Web.Import;
using Portal.Web.Privacy;
using Portal.Web.Search;

namespace Portal.Web.Hosting;

/// <summary>Everything the portal needs, for the web host and the command-line verbs alike.</summary>
public static class PortalServices
{
    public static IServiceCollection AddPortal(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PortalOptions>().Bind(configuration.GetSection(PortalOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(PortalOptions.Section).Get<PortalOptions>() ?? new PortalOptions();
        var dataDirectory = options.FullDataDirectory;
        var provider = DatabaseProvider.Parse(configuration["Database:Provider"]);
        var connectionString = configuration.GetConnectionString("Portal");
        var embedded = provider == DatabaseProviderKind.Sqlite && string.IsNullOrWhiteSpace(connectionString);
        var directory = DataSafety.Prepare(dataDirectory, embedded);
        services.AddSingleton(directory);
        if (provider != DatabaseProviderKind.Sqlite && string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException($"Database:Provider={provider} 需要同时配置 ConnectionStrings:Portal");
        if (provider == DatabaseProviderKind.Sqlite && string.IsNullOrWhiteSpace(connectionString))
            connectionString = DatabaseProvider.SqliteConnectionString(dataDirectory);
        services.AddSingleton(new DatabaseSettings(provider, connectionString!));
        services.AddDbContextFactory<PortalDbContext>(o => DatabaseProvider.Configure(o, provider, connectionString!));
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext());
        services.AddDbContext<BackOffice.StaffDbContext>(o => DatabaseProvider.Configure(o, provider, connectionString!));
        services.AddIdentityCore<BackOffice.StaffUser>(BackOffice.StaffAccounts.ConfigureIdentity)
            .AddRoles<Microsoft.AspNetCore.Identity.IdentityRole>()
            .AddEntityFrameworkStores<BackOffice.StaffDbContext>()
            .AddClaimsPrincipalFactory<BackOffice.StaffClaimsFactory>();
        // Every request (and every back-office action) re-reads the account: a lock, a role change, a new password or a
        // sign-out ends the sessions already open, copied cookies included.
        services.Configure<Microsoft.AspNetCore.Identity.SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        services.AddScoped<BackOffice.StaffAccounts>();
        services.AddSingleton<BackOffice.StaffAdministration>();
        services.AddSingleton<BackOffice.DeadlineBoard>();
        services.AddSingleton<BackOffice.OfficeEntries>();
        services.AddSingleton<BackOffice.StaffGate>();
        services.AddSingleton<Courts.CourtRegistry>();

        // The keys that encrypt ID numbers are themselves encrypted at rest with a certificate (configured, or generated
        // once into the keys folder); keys written before this stay readable.
        var keyCertificate = DataSafety.KeyEncryptionCertificate(options, dataDirectory);
        services.AddDataProtection()
            .SetApplicationName("portal")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")))
            .ProtectKeysWithCertificate(keyCertificate)
            .UnprotectKeysWithAnyCertificate(keyCertificate);
        var hashKey = DataSafety.IdHashKey(options, provider, directory);
        services.AddSingleton(new IdHashKeyBytes(hashKey));
        services.AddSingleton<IIdNumberCipher, DataProtectionIdNumberCipher>();
        services.AddSingleton(sp => new IdNumberProtection(sp.GetRequiredService<IIdNumberCipher>(), hashKey));
        services.AddSingleton(new Clients.ReceiptSigner(HKDF.DeriveKey(HashAlgorithmName.SHA256, hashKey, 32, info: "verification-receipt"u8.ToArray()),
            HKDF.DeriveKey(HashAlgorithmName.SHA256, hashKey, 32, info: "verification-receipt-digest"u8.ToArray())));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => Portal.Data.Calendar.WorkingDayCalendar.Load(Path.Combine(dataDirectory, "calendar")));
        services.AddSingleton(_ => ChineseAnalyzer.Instance);
        services.AddSingleton(sp => new SearchIndex(sp.GetRequiredService<ChineseAnalyzer>(), Path.Combine(dataDirectory, "index")));
        services.AddSingleton<IndexSync>();
        services.AddScoped<EntrySearch>();
        services.AddScoped<Publication.QueryCertificates>();
        services.AddOptions<PrivacyOptions>().Bind(configuration.GetSection(PrivacyOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ExactIdGuard>();
        services.AddScoped<Removal.RemovalNotices>();
        services.AddSingleton<EntryImporter>();
        services.AddSingleton<Lifecycle.EntryActions>();
        services.AddSingleton<Lifecycle.ExpiryService>();
        services.AddSingleton<DemoDataGenerator>();
        services.AddSingleton<DemoMark>();
        services.AddSingleton<Clients.ApiClients>();
        services.AddSingleton<Clients.KeyApplications>();
        services.AddSingleton<Clients.TakedownLedger>();
        services.AddOptions<Screens.DisplayOptions>().Bind(configuration.GetSection(Screens.DisplayOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Screens.CourtScreens>();
        services.AddSingleton<Newsroom.ListFigures>();
        services.AddSingleton<Clients.ChangeFeed>();
        services.AddSingleton<Clients.NameScreening>();
        services.AddSingleton<Clients.Verification>();
        services.AddSingleton<Clients.WatchBook>();
        services.AddOptions<Clients.WatchOptions>().Bind(configuration.GetSection(Clients.WatchOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Clients.WebhookOptions>().Bind(configuration.GetSection(Clients.WebhookOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Clients.RecheckOptions>().Bind(configuration.GetSection(Clients.RecheckOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OutboundOptions>().Bind(configuration.GetSection(OutboundOptions.Section))
            .Validate(o => NetworkList.AreValid(o.AllowedNetworks), "Outbound:AllowedNetworks: 每一项应为 CIDR，如 10.20.0.0/16").ValidateOnStart();
        services.AddSingleton<OutboundGuard>();
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.Section))
            .Validate(o => NetworkList.AreValid(o.AllowedNetworks), "Metrics:AllowedNetworks: 每一项应为 CIDR").ValidateOnStart();
        services.AddSingleton<PortalMetrics>();
        services.AddOptions<SiteOptions>().Bind(configuration.GetSection(SiteOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(Clients.WebhookDispatcher.HttpClientName).ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundGuard>().Handler());
        services.AddHttpClient(Clients.TakedownRecheck.HttpClientName).ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundGuard>().Handler());
        services.AddSingleton<Clients.WebhookDispatcher>();
        services.AddOptions<Portal.Data.Applications.ApplicationOptions>().Bind(configuration.GetSection(Portal.Data.Applications.ApplicationOptions.Section))
            .Validate(o => { try { o.Periods(); return true; } catch (InvalidOperationException) { return false; } }, "Applications:Rules 应为 seed 或 spc2017")
            .Validate(o => new[] { o.CorrectionApply, o.CorrectionReview, o.CorrectAfterAccept, o.ReconsiderationApply, o.ReconsiderationDecide, o.CreditRepairDecide, o.ComplaintAnswer }
                .All(p => p is null || p.Days is >= 0 and <= 366), "Applications: 期间天数应在 0–366 之间")
            .ValidateOnStart();
        services.AddSingleton<Applications.ApplicationDesk>();
        services.AddOptions<Measures.MeasureOptions>().Bind(configuration.GetSection(Measures.MeasureOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Measures.MeasureKinds>();
        services.AddSingleton<Measures.MeasureLedger>();
        services.AddSingleton<Measures.MeasureFigures>();
        services.AddOptions<Applications.NotificationOptions>().Bind(configuration.GetSection(Applications.NotificationOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.Sender != "Smtp" || !string.IsNullOrWhiteSpace(o.Smtp.Host), "Notifications:Sender=Smtp 需要 Notifications:Smtp:Host").ValidateOnStart();
        services.AddSingleton<Applications.FileNotificationSender>();
        services.AddSingleton<Applications.INotificationSender>(sp => sp.GetRequiredService<IOptions<Applications.NotificationOptions>>().Value.Sender == "Smtp"
            ? ActivatorUtilities.CreateInstance<Applications.SmtpNotificationSender>(sp)
            : sp.GetRequiredService<Applications.FileNotificationSender>());
        services.AddSingleton<Applications.NotificationOutbox>();
        services.AddSingleton<Clients.TakedownRecheck>();
        services.AddSingleton<PortalReadiness>();
        services.AddSingleton<PortalInitializer>();
        services.AddSingleton(HtmlEncoder.Create(UnicodeRanges.All));
        return services;
    }
}

public sealed record DatabaseSettings(DatabaseProviderKind Provider, string ConnectionString);

/// <summary>The secret of the keyed ID hash, for the start-up check that it is the one the data was written with.</summary>
public sealed record IdHashKeyBytes(byte[] Key);

/// <summary>Set once the database schema is current, the index matches it and any demo data is in.</summary>
public sealed class PortalReadiness
{
    private volatile bool _ready;
    private volatile string _stage = "正在升级数据库";
    private volatile string? _fault;

    /// <summary>The data was prepared once (schema, first-start data, the index opened).</summary>
    public bool IsReady => _ready;

    /// <summary>Prepared, and nothing found wrong since (an index that cannot be written is not current): public surfaces may answer.</summary>
    public bool IsServing => _ready && _fault is null;

    /// <summary>What is being prepared or what is wrong, in words for /health and the console: the database, demo data, the index.</summary>
    public string Stage => _fault ?? (_ready ? "就绪" : _stage);

    public void Report(string stage) => _stage = stage;
    public void MarkReady() => _ready = true;

    /// <summary>Something the answers depend on stopped working (the index cannot be written): stop answering until it recovers.</summary>
    public void Fault(string why) => _fault = why;

    public void ClearFault() => _fault = null;
}
