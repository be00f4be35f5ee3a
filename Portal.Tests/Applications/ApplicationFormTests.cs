using System.Net;
using System.Net.Sockets;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Applications;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Tests.Support;
using Portal.Web.Applications;
using Portal.Web.BackOffice;
using Portal.Web.Components.Office;

namespace Portal.Tests.Applications;

/// <summary>The public forms without JavaScript, attachments, the tracking page, the office pages and the outbox's retries.</summary>
public class ApplicationFormTests : IAsyncLifetime
{
    private const string Zhang = "（2026）豫0311执801号";
    private const string ZhangId = "412702198403151512";
    private static readonly HtmlParser Parser = new();
    private static readonly byte[] Pdf = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"u8.ToArray();

    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 20, 2, 0, 0, TimeSpan.Zero));
    private readonly PortalFactory _portal;
    private readonly HttpClient _http;

    public ApplicationFormTests()
    {
        // An SMTP server that is not there: email fails and is retried; phone numbers go to the file sender.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var closedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _portal = new PortalFactory
        {
            Clock = _clock,
            Settings = new()
            {
                ["Notifications:PollSeconds"] = "3600", ["Notifications:Sender"] = "Smtp", ["Notifications:Smtp:Host"] = "127.0.0.1",
                ["Notifications:Smtp:Port"] = closedPort.ToString(), ["Notifications:Smtp:EnableSsl"] = "false",
                ["Notifications:MaxAttempts"] = "2", ["Notifications:RetryBaseSeconds"] = "60",
            },
        };
        _http = _portal.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
    }

    public async Task InitializeAsync()
    {
        var zhang = TestEntries.Person("张三", ZhangId, Zhang);
        zhang.PublishedAt = "2026-11-18";
        Assert.Empty((await _portal.ImportAsync(zhang)).Rejected);
        await _portal.WaitUntilReadyAsync();
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private async Task<T> Db<T>(Func<PortalDbContext, Task<T>> read)
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }

    /// <summary>The form as a browser without JavaScript sends it: its hidden fields as rendered, plus what the person filled in.</summary>
    private static MultipartFormDataContent Fill(IHtmlDocument page, Dictionary<string, string> fields, params (string Name, byte[] Content)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var hidden in page.QuerySelectorAll("form.apply-form input[type=hidden]"))
            form.Add(new StringContent(hidden.GetAttribute("value") ?? ""), hidden.GetAttribute("name")!);
        foreach (var (k, v) in fields)
            foreach (var value in v.Split('|')) form.Add(new StringContent(value), k);
        foreach (var (name, content) in files) form.Add(new ByteArrayContent(content), "files", name);
        return form;
    }

    private static Dictionary<string, string> Correction(string contact = "13812345678") => new()
    {
        ["caseNumber"] = "(2026)豫0311执801号", ["identity"] = ZhangId, ["grounds"] = "not-dishonest|inaccurate",
        ["text"] = "执行依据已被撤销。", ["contact"] = contact,
    };

    private async Task<(HttpResponseMessage Response, IHtmlDocument Page)> Post(IHtmlDocument form, Dictionary<string, string> fields, params (string, byte[])[] files)
    {
        var response = await _http.PostAsync("/apply/correction", Fill(form, fields, files));
        return (response, Parser.ParseDocument(await response.Content.ReadAsStringAsync()));
    }

    private async Task<IHtmlDocument> Form(string path = "/apply/correction") => Parser.ParseDocument(await _http.GetStringAsync(path));

    [Fact]
    public async Task A_person_applies_without_javascript_gets_a_receipt_and_sending_the_form_again_changes_nothing()
    {
        var form = await Form();
        Assert.Empty(form.QuerySelectorAll("form.apply-form script"));
        Assert.NotNull(form.QuerySelector("input[name=__RequestVerificationToken]"));
        Assert.Equal(5, form.QuerySelectorAll("input[type=checkbox][name=grounds]").Length);

        var (response, receipt) = await Post(form, Correction(), ("判决书.pdf", Pdf));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(response.Headers.CacheControl is { NoStore: true, NoCache: true }, response.Headers.CacheControl?.ToString());
        var code = receipt.QuerySelector(".tracking-code")!.TextContent;
        Assert.Matches("^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$", code);
        Assert.Contains("2026年11月23日前", receipt.QuerySelector(".receipt")!.TextContent);
        Assert.DoesNotContain(ZhangId, receipt.DocumentElement.OuterHtml);

        // Committed before the receipt was shown: the application, its file, its history and its message are stored.
        var stored = await Db(db => db.Applications.SingleAsync());
        Assert.Equal(["not-dishonest", "inaccurate"], stored.GroundList);
        var file = await Db(db => db.ApplicationAttachments.SingleAsync());
        Assert.Equal(("判决书.pdf", "application/pdf", Pdf.Length), (file.FileName, file.ContentType, (int)file.Size));

        // The same form again (double click, back button and resend): the same receipt, no second application.
        var (again, second) = await Post(form, Correction(), ("判决书.pdf", Pdf));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(code, second.QuerySelector(".tracking-code")!.TextContent);
        Assert.Contains("没有重复登记", second.DocumentElement.TextContent);
        Assert.Equal(1, await Db(db => db.Applications.CountAsync()));

        // The tracking page: status and history, nothing else about anyone.
        var track = await _http.GetAsync($"/track/{code}");
        Assert.Equal(HttpStatusCode.OK, track.StatusCode);
        var page = Parser.ParseDocument(await track.Content.ReadAsStringAsync());
        Assert.Contains("已受理，待审查", page.QuerySelector(".application")!.TextContent);
        Assert.Single(page.QuerySelectorAll(".history li"));
        Assert.DoesNotContain("138", page.QuerySelector(".application")!.TextContent);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/track/0000-0000-0000-0000")).StatusCode);

        // The attachment is never served to the public.
        var download = await _http.GetAsync($"/office/applications/{stored.Id}/files/{file.Id}");
        Assert.NotEqual(HttpStatusCode.OK, download.StatusCode);
    }

    [Fact]
    public async Task A_file_that_is_not_a_pdf_jpeg_or_png_is_refused_by_its_content_and_the_person_keeps_what_they_typed()
    {
        var (response, page) = await Post(await Form(), Correction(), ("证明.pdf", "MZ\u0090\0 not a pdf"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("不是 PDF、JPEG 或 PNG", page.QuerySelector("[role=alert]")!.TextContent);
        Assert.Equal("执行依据已被撤销。", page.QuerySelector("textarea[name=text]")!.TextContent);
        Assert.Equal("", page.QuerySelector("input[name=identity]")!.GetAttribute("value") ?? ""); // never shown back
        Assert.Equal(0, await Db(db => db.Applications.CountAsync()));
    }

    [Fact]
    public async Task A_form_without_its_antiforgery_token_is_refused()
    {
        var form = new MultipartFormDataContent { { new StringContent("apply"), "_handler" }, { new StringContent(Zhang), "caseNumber" } };
        var response = await _http.PostAsync("/apply/correction", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await Db(db => db.Applications.CountAsync()));
    }

    [Fact]
    public async Task Messages_that_cannot_be_sent_are_retried_then_given_up_and_phone_messages_go_to_the_outbox_folder()
    {
        await Post(await Form(), Correction("zhang@example.com"));
        var outbox = _portal.Services.GetRequiredService<NotificationOutbox>();

        Assert.Equal(0, await outbox.RunOnceAsync()); // the email fails
        var email = await Db(db => db.Notifications.SingleAsync());
        Assert.Equal((1, false, null), (email.Attempts, email.Dead, email.SentAt));
        Assert.NotNull(email.LastError);
        Assert.Equal(0, await outbox.RunOnceAsync()); // not due before its retry time
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(0, await outbox.RunOnceAsync());
        email = await Db(db => db.Notifications.SingleAsync());
        Assert.Equal((2, true), (email.Attempts, email.Dead)); // the last attempt: given up, kept for the record
        Assert.Equal("", email.ContactCipher);                  // without the address: no retry needs it

        // A phone contact: no SMS gateway, so the message is written to the data directory's outbox.
        await using var circuit = await OfficeCircuit.SignInAsync(_portal, "li", StaffRoles.Reviewer);
        var id = await Db(db => db.Applications.Select(a => a.Id).SingleAsync());
        await using (var scope = _portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var row = await db.Applications.SingleAsync();
            row.ContactChannel = ContactChannel.Phone;
            row.ContactCipher = scope.ServiceProvider.GetRequiredService<Portal.Data.Privacy.IIdNumberCipher>().Encrypt("13812345678");
            await db.SaveChangesAsync();
        }
        var page = circuit.Context.Render<ApplicationOffice>(p => p.Add(x => x.Id, id));
        page.Find("textarea").Input("理由不成立：有履行能力而拒不履行。");
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Contains("提交")).Click());
        page.WaitForAssertion(() => Assert.Contains("请选择决定", page.Find("[role=alert]").TextContent)); // nothing is chosen in advance
        await page.InvokeAsync(() => page.FindAll("input[type=radio]").Last().Click()); // 驳回
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Contains("提交")).Click());
        page.WaitForAssertion(() => Assert.Contains("将驳回申请", page.Find(".mud-dialog").TextContent));
        await page.InvokeAsync(() => page.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "确认").Click());
        page.WaitForAssertion(() => Assert.Contains("已记录决定", page.Markup), TimeSpan.FromSeconds(10));
        Assert.Equal(ApplicationStatus.Refused, await Db(db => db.Applications.Select(a => a.Status).SingleAsync()));
        Assert.Equal(1, await outbox.RunOnceAsync());
        var written = Assert.Single(Directory.GetFiles(Path.Combine(_portal.DataDirectory, "outbox")));
        Assert.Contains("13812345678", await File.ReadAllTextAsync(written));
        Assert.Contains("驳回纠正申请", await File.ReadAllTextAsync(written));
        Assert.All(await Db(db => db.Notifications.Where(n => n.SentAt != null).ToListAsync()), n => Assert.Equal("", n.ContactCipher));

        // No gateway collects it: a day later the file, with the phone number in it, is gone.
        File.SetLastWriteTimeUtc(written, _clock.GetUtcNow().UtcDateTime);
        _clock.Advance(TimeSpan.FromHours(23));
        await outbox.RunOnceAsync();
        Assert.True(File.Exists(written));
        _clock.Advance(TimeSpan.FromHours(2));
        await outbox.RunOnceAsync();
        Assert.False(File.Exists(written));
    }

    [Fact]
    public async Task The_office_queue_shows_the_court_its_applications_with_their_deadlines_overdue_first()
    {
        await Post(await Form(), Correction());
        _clock.Advance(TimeSpan.FromDays(5));
        await using var circuit = await OfficeCircuit.SignInAsync(_portal, "wang", StaffRoles.Reviewer);
        var queue = circuit.Render<ApplicationQueue>();
        queue.WaitForAssertion(() => Assert.Contains("已逾期 2 天", queue.Find("table").TextContent), TimeSpan.FromSeconds(10));
        Assert.Contains(Zhang, queue.Find("table").TextContent);
        await using var elsewhere = await OfficeCircuit.SignInAsync(_portal, "zhao", StaffRoles.Reviewer, "豫0305");
        var theirs = elsewhere.Render<ApplicationQueue>();
        theirs.WaitForAssertion(() => Assert.Contains("没有待处理的申请", theirs.Markup), TimeSpan.FromSeconds(10));
    }
}

/// <summary>Email to applicants through a real SMTP conversation with a server on loopback.</summary>
public sealed class NotificationSmtpTests
{
    [Fact]
    public async Task An_email_contact_receives_its_message_by_smtp()
    {
        await using var smtp = new SmtpSink();
        using var portal = new PortalFactory
        {
            Settings = new()
            {
                ["Notifications:PollSeconds"] = "3600", ["Notifications:Sender"] = "Smtp", ["Notifications:Smtp:Host"] = "127.0.0.1",
                ["Notifications:Smtp:Port"] = smtp.Port.ToString(), ["Notifications:Smtp:EnableSsl"] = "false", ["Notifications:Smtp:From"] = "portal@court.example",
            },
        };
        await portal.WaitUntilReadyAsync();
        var response = await portal.CreateClient().PostAsync("/api/v1/applications", System.Net.Http.Json.JsonContent.Create(
            new { kind = "complaint", grounds = new[] { "reprinter" }, text = "某网站仍在转载已撤销的条目", contact = "reporter@example.com" }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        Assert.Equal(1, await portal.Services.GetRequiredService<NotificationOutbox>().RunOnceAsync());
        var message = Assert.Single(smtp.Messages);
        Assert.Equal(["reporter@example.com"], message.To);
        Assert.Contains("portal@court.example", message.From);
        Assert.Contains("Subject:", message.Data);
        await using var scope = portal.Services.CreateAsyncScope();
        var sent = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Notifications.SingleAsync();
        Assert.NotNull(sent.SentAt);
        Assert.Null(sent.LastError);
    }
}
