using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Tests.Privacy;

/// <summary>
/// Request bodies are limited while they are read, on the real server (Kestrel): a body sent in chunks, with no length
/// declared up front, is stopped at its endpoint's limit instead of being parsed whole.
/// </summary>
public sealed class BodyLimitTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private Process _process = default!;
    private HttpClient _http = default!;

    public async Task InitializeAsync() =>
        (_process, _http) = await PortalProcess.StartNodeAsync([$"--Portal:DataDirectory={_data.Path}", "--Portal:SeedDemoData=false"]);

    public Task DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
        _data.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A JSON body of about <paramref name="bytes"/> bytes, sent chunked: no Content-Length for the server to check first.</summary>
    private static HttpContent Chunked(int bytes)
    {
        var json = JsonSerializer.Serialize(new { kind = "complaint", text = new string('诉', bytes / 3), contact = "13812345678", grounds = new[] { "wrong-info" } });
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new("application/json");
        return content;
    }

    [Theory]
    [InlineData("/api/v1/applications")]
    [InlineData("/api/v1/entries/search")]
    public async Task A_chunked_body_over_the_limit_is_refused_while_it_is_read(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Chunked(200 * 1024) };
        request.Headers.TransferEncodingChunked = true;
        var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("body_too_large", problem.GetProperty("code").GetString());
        Assert.Contains("64 KB", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_page_with_a_larger_limit_names_its_own_limit()
    {
        var form = new FormUrlEncodedContent([new("key", new string('a', 5 * 1024 * 1024))]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/verify/batch") { Content = new StreamContent(await form.ReadAsStreamAsync()) };
        request.Content.Headers.ContentType = new("application/x-www-form-urlencoded");
        request.Headers.TransferEncodingChunked = true;
        var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("4 MB", await response.Content.ReadAsStringAsync()); // it said 64 KB: the handler had lost the endpoint
    }

    [Fact]
    public async Task A_body_within_the_limit_is_read_and_answered_on_its_merits()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/applications") { Content = Chunked(3 * 1024) };
        request.Headers.TransferEncodingChunked = true;
        var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode); // a complaint of 1,024 characters, taken
        Assert.Equal(16, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingCode").GetString()!.Replace("-", "").Length);
    }

    [Fact]
    public async Task A_form_over_the_limit_gets_a_page_in_chinese()
    {
        var form = new FormUrlEncodedContent([new("Name", new string('a', 200 * 1024)), new("Password", "x")]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/office/login") { Content = new StreamContent(await form.ReadAsStreamAsync()) };
        request.Content.Headers.ContentType = new("application/x-www-form-urlencoded");
        request.Headers.TransferEncodingChunked = true;
        var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("请求过大", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_form_that_is_not_a_form_gets_400_in_chinese_not_an_error()
    {
        var boundary = "xyz";
        var body = $"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a\r\nb.pdf\"\r\n\r\n%PDF-1.4\r\n--{boundary}--\r\n";
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        var response = await _http.PostAsync("/apply/complaint", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("表单", await response.Content.ReadAsStringAsync());
    }
}
