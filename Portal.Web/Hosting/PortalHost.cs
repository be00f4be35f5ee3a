using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MudBlazor.Services;
using Portal.Web.Applications;
using Portal.Web.Clients;
using Portal.Web.Measures;
using Portal.Web.Newsroom;
using Portal.Web.Components;
using Portal.Web.Publication;
using Portal.Web.Removal;
using Portal.Web.Screens;

namespace Portal.Web.Hosting;

/// <summary>The web host: pages, API, health, static files.</summary>
public static class PortalHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });

        // The portal runs from its build output in every environment (`dotnet run`, tests, CI): read the build's
        // manifest of package assets (blazor.web.js, MudBlazor) there too; a published app has them copied instead.
        builder.WebHost.UseStaticWebAssets();
        // ... and serves them as built: precompressed, fingerprinted URLs cached for a year. Without this default, a build
        // manifest switches on ASP.NET's development handling (no caching, assets re-"compressed" at level 0 on the fly).
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = [new("ReloadStaticAssetsAtRuntime", "false")],
        });
        // Pages and API answers compressed as they are written (static assets come precompressed). BREACH does not apply
        // to the antiforgery token in a page: each response carries a freshly encrypted one.
        builder.Services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.BrotliCompressionProvider>();
            o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.GzipCompressionProvider>();
            o.MimeTypes = ["text/html", "application/json", "application/problem+json", "text/csv", "application/x-ndjson", "image/svg+xml", "text/plain"];
        });
        builder.Services.Configure<Microsoft.AspNetCore.ResponseCompression.BrotliCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
        builder.Services.Configure<Microsoft.AspNetCore.ResponseCompression.GzipCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
        // Every request body is limited while it is read; endpoints that take more say so (BodyLimitAttribute).
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = BodyLimitAttribute.Default);
        // Request URLs may carry what a person typed; framework request logs stay off below Warning.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        // Outbound request logs name the whole URL, and a client may put a token in its webhook's.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        // A Degraded answer while the data is prepared is expected, not a warning a newcomer should read.
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Error);
        builder.Services.AddPortal(builder.Configuration);
        builder.Services.AddHostedService<SchemaUpgradeService>();
        builder.Services.AddHostedService<DataPreparationService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Lifecycle.ExpiryService>());
        builder.Services.AddHostedService<Search.IndexFollower>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Courts.CourtRegistry>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Clients.WebhookDispatcher>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Clients.TakedownRecheck>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Applications.NotificationOutbox>());
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, BackOffice.StaffRevalidation>();
        // Court staff sign in with a cookie; API clients send X-Api-Key. The default scheme picks by the header.
        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = "portal";
                o.DefaultChallengeScheme = "portal";
            })
            .AddPolicyScheme("portal", "staff or API client", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(Clients.ApiKeyAuthentication.Header) ? Clients.ApiKeyAuthentication.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, Clients.ApiKeyAuthentication>(Clients.ApiKeyAuthentication.SchemeName, null)
            .AddIdentityCookies();
        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/office/login";
            o.AccessDeniedPath = "/office/denied";
            o.Cookie.Name = "portal.office";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        });
        new IdentityBuilder(typeof(BackOffice.StaffUser), typeof(IdentityRole), builder.Services).AddSignInManager();
        builder.Services.AddAuthorization(o =>
        {
            Clients.ApiKeyAuthentication.AddScopePolicies(o);
            // The back office answers only the staff cookie: an X-Api-Key header never stands in for a sign-in.
            o.AddPolicy(BackOffice.StaffRoles.Policy, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser().RequireAssertion(c => BackOffice.StaffRoles.IsStaff(c.User)));
        });
        builder.Services.AddSingleton<BackOffice.OfficeNav>();
        builder.Services.AddAntiforgery();
        // An uploaded book or batch holds ID numbers: kept in memory while read, never buffered to a temporary file. The
        // pages' own body limits (at most 16 MB) bound what an anonymous sender can make a node hold; the form reader's own
        // limits sit above them, so that a form too large always meets the page's limit first (413, naming it) and never,
        // as the chunks happen to fall, the reader's 4 MB value limit (a bare 400).
        const int formLimit = Clients.WatchApi.MaxPageBytes + 64 * 1024;
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o =>
            (o.MemoryBufferThreshold, o.MultipartBodyLengthLimit, o.ValueLengthLimit) = (formLimit, formLimit, formLimit));
        builder.Services.AddPortalErrors();
        builder.Services.AddOpenApi(ApiDocumentation.Configure);
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        builder.Services.AddHealthChecks().AddCheck<PortalHealthCheck>("portal");
        builder.Services.AddTrafficLimits(builder.Configuration);

        var app = builder.Build();
        app.Services.GetRequiredService<PortalMetrics>().Start(); // listening from the first request on
        app.UseKnownProxies();
        app.UseResponseCompression();
        app.UseSecurityHeaders();
        app.UsePortalErrors();
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
        app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api"), site => site.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        app.UseNotReadyGate();
        app.UseRouting(); // after the status code pages, so that their re-execution routes /not-found to its page
        app.MapStaticAssets(); // wwwroot, blazor.web.js and MudBlazor's _content, from the build's or the publish's manifest
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.Use(async (context, next) =>
        {
            // A generated initial password is changed before any other back-office page opens.
            var path = context.Request.Path;
            if (path.StartsWithSegments("/office") && context.User.HasClaim(BackOffice.StaffClaimsFactory.MustChangePassword, "true")
                && !path.StartsWithSegments("/office/password") && !path.StartsWithSegments("/office/logout"))
            {
                context.Response.Redirect("/office/password");
                return;
            }
            await next();
        });
        app.UseBodyLimits();
        app.UseAntiforgery();
        app.Use(async (context, next) =>
        {
            // What the API answers may be removed a minute later: no cache may keep it.
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                context.Response.Headers.CacheControl = "no-cache, no-store";
                if (await context.RequestServices.GetRequiredService<DemoData.DemoMark>().IsPresentAsync(context.RequestAborted))
                    context.Response.Headers[DemoData.DemoMark.Header] = "true";
            }
            await next();
        });

        app.MapOpenApi();
        ElderMode.Map(app);
        Publication.QueryCertificates.Map(app);
        app.MapGet("/metrics", async (HttpContext context, PortalMetrics metrics,
                Microsoft.EntityFrameworkCore.IDbContextFactory<Portal.Data.Persistence.PortalDbContext> dbFactory, Search.IndexSync sync, PortalReadiness readiness, CancellationToken ct) =>
                metrics.MayRead(context) ? Results.Json(await metrics.SnapshotAsync(dbFactory, sync, readiness, ct)) : Results.NotFound())
            .ExcludeFromDescription();
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResultStatusCodes = { [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable, [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable },
            // What is not ready, in words: "Healthy", or e.g. "正在写入演示数据 4000/20000", "数据库不可用".
            ResponseWriter = (context, report) =>
            {
                context.Response.ContentType = "text/plain; charset=utf-8";
                return context.Response.WriteAsync(report.Status == HealthStatus.Healthy ? "Healthy"
                    : string.Join("；", report.Entries.Values.Select(e => e.Description ?? e.Status.ToString())));
            },
        });
        app.MapGroup("").RequireRateLimiting(TrafficLimits.Api).MapEntriesApi().MapNoticesApi().MapClientsApi().MapNewsroomApi().MapApplicationsApi().MapMeasuresApi().MapWatchApi().MapScreensApi();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().RequireRateLimiting(TrafficLimits.Pages).Finally(TrafficLimits.KeepPagesOwnPolicy);
        return app;
    }
}
