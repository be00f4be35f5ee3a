using System.Net;
using Microsoft.Playwright;

namespace Portal.E2E;

/// <summary>A listed person's correction from the public form (JavaScript off) to its acceptance in the back office and the entry's removal.</summary>
public class CorrectionJourneyTests(PortalServer portal) : IClassFixture<PortalServer>
{
    [Fact]
    public async Task A_person_applies_for_correction_the_court_accepts_and_the_entry_is_gone_with_a_removal_notice()
    {
        var context = await portal.Browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false });
        var person = await context.NewPageAsync();
        await person.GotoAsync(portal.BaseUrl + "/?q=" + Uri.EscapeDataString("司马光明"));
        await Assertions.Expect(person.Locator("li.result")).ToHaveCountAsync(1);

        // From the entry's page to the form, the case number filled in.
        await person.Locator("li.result a").First.ClickAsync();
        await person.GetByRole(AriaRole.Link, new() { Name = "在线申请纠正" }).ClickAsync();
        await Assertions.Expect(person.GetByLabel("案号")).ToHaveValueAsync(PortalServer.CorrectionCase);
        await person.SetViewportSizeAsync(390, 844); // a phone
        await PortalServer.Screenshot(person, "correction-form-phone", fullPage: true);
        await person.SetViewportSizeAsync(1280, 900);
        await person.GetByLabel("被执行人的身份证号码（自然人）或统一社会信用代码（单位）").FillAsync(PortalServer.CorrectionId);
        await person.GetByLabel("不符合纳入失信被执行人名单的条件").CheckAsync();
        await person.GetByLabel("事实和理由").FillAsync("货款已于判决前付清，有银行回单为证。");
        await person.GetByLabel("联系方式").FillAsync("13912345678");
        await person.Locator("#files").SetInputFilesAsync(new FilePayload { Name = "银行回单.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.4\n%%EOF\n"u8.ToArray() });
        await person.GetByRole(AriaRole.Button, new() { Name = "提交申请" }).ClickAsync();
        await Assertions.Expect(person.Locator("h1")).ToHaveTextAsync("已收到您的申请纠正");
        var code = (await person.Locator(".tracking-code").TextContentAsync())!;
        await PortalServer.Screenshot(person, "correction-receipt");

        // The listing court's reviewer finds it in the queue and accepts it.
        var office = await portal.StaffPageAsync("rev-correction", "reviewer");
        await office.GotoAsync(portal.BaseUrl + "/office/applications");
        var item = office.Locator(".queue tr").Filter(new() { HasText = PortalServer.CorrectionCase });
        await Assertions.Expect(item).ToContainTextAsync("天后到期");
        await PortalServer.Screenshot(office, "office-queue", fullPage: true);
        await item.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(office.Locator("h1")).ToContainTextAsync("申请纠正");
        await Assertions.Expect(office.GetByRole(AriaRole.Link, new() { Name = "银行回单.pdf" })).ToBeVisibleAsync();
        await PortalServer.Screenshot(office, "office-application", fullPage: true);
        await office.GetByText("理由成立，撤销该条目").ClickAsync();
        await office.GetByLabel("理由（将告知申请人）").FillAsync("经审查，货款已于判决前付清，不应纳入名单。");
        await office.GetByRole(AriaRole.Button, new() { Name = "提交" }).ClickAsync();
        await Assertions.Expect(office.Locator(".mud-dialog")).ToContainTextAsync("将撤销该条目"); // the consequence, before it happens
        await office.GetByRole(AriaRole.Button, new() { Name = "确认" }).ClickAsync();
        await Assertions.Expect(office.Locator("[role=status]")).ToContainTextAsync("已记录决定");

        // The public: search no longer finds the entry, its page is gone, the removal notice is published.
        await person.GotoAsync(portal.BaseUrl + "/?q=" + Uri.EscapeDataString("司马光明"));
        Assert.Equal(0, await person.Locator("li.result").CountAsync());
        await person.GotoAsync(portal.BaseUrl + "/notices");
        await Assertions.Expect(person.Locator("main")).ToContainTextAsync(PortalServer.CorrectionCase);
        var track = await person.GotoAsync(portal.BaseUrl + "/track/" + code);
        Assert.Equal((int)HttpStatusCode.OK, track!.Status);
        await Assertions.Expect(person.Locator(".application")).ToContainTextAsync("纠正申请成立");
        await Assertions.Expect(person.Locator(".history li")).ToHaveCountAsync(2);
        await PortalServer.Screenshot(person, "track", fullPage: true);
    }
}
