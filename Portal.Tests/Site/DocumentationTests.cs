using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Support;

namespace Portal.Tests.Site;

/// <summary>
/// The guides state facts the code owns: the settings (names and defaults), the verbs, the pages and the API's
/// endpoints. Each table is read from its document and compared with the code, both ways, so neither can drift.
/// </summary>
public sealed partial class DocumentationTests : IDisposable
{
    private static readonly string Root = FindRoot();
    private readonly PortalFactory _portal = new();

    public void Dispose() => _portal.Dispose();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) return dir.FullName;
        throw new InvalidOperationException("Portal.sln not found above " + AppContext.BaseDirectory);
    }

    private static string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    /// <summary>The rows of the first table whose header row starts with <paramref name="firstHeader"/>, as cells.</summary>
    private static List<string[]> Table(string markdown, string firstHeader)
    {
        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var start = lines.FindIndex(l => l.StartsWith("| " + firstHeader + " |", StringComparison.Ordinal));
        Assert.True(start >= 0, $"no table headed “{firstHeader}”");
        return lines.Skip(start + 2).TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Trim('|').Split(" | ").Select(c => c.Trim()).ToArray()).ToList();
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();

    private static List<string> CodeSpans(string cell) => Code().Matches(cell).Select(m => m.Groups[1].Value).ToList();

    /// <summary>
    /// Every setting an option class binds: Section:Property for plain values, Section:Property:Sub for nested ones
    /// (Notifications:Smtp:Host, Applications:CorrectionApply:Days), with the default a fresh instance has.
    /// </summary>
    private static Dictionary<string, object?> SettingsInCode()
    {
        var settings = new Dictionary<string, object?>();
        var types = typeof(Portal.Web.Hosting.PortalOptions).Assembly.GetTypes().Concat(typeof(Portal.Data.Entries.Entry).Assembly.GetTypes())
            .Where(t => t.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true });
        foreach (var type in types)
            Walk((string)type.GetField("Section")!.GetRawConstantValue()!, type, Activator.CreateInstance(type));
        return settings;

        void Walk(string prefix, Type type, object? instance)
        {
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.SetMethod!.IsPublic))
            {
                var key = prefix + ":" + p.Name;
                var value = instance is null ? null : p.GetValue(instance);
                var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
                if (t.IsClass && t != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(t)) Walk(key, t, value); // unset: every part is "none"
                else settings[key] = value;
            }
        }
    }

    /// <summary>A first cell's keys: `A:B` / `C` reads as A:B and A:C (a bare name takes the previous key's parent).</summary>
    private static List<string> KeysOf(string cell)
    {
        var keys = new List<string>();
        foreach (var span in CodeSpans(cell))
            keys.Add(span.Contains(':') || keys.Count == 0 ? span : keys[^1][..(keys[^1].LastIndexOf(':') + 1)] + span);
        return keys;
    }

    private static string Shown(object? value) => value switch
    {
        null => "none",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable e and not string => e.Cast<object>().Any() ? string.Join(",", e.Cast<object>()) : "none",
        _ => value.ToString()!,
    };

    [Fact]
    public void The_operators_settings_table_is_every_setting_with_its_default()
    {
        var rows = Table(Read("docs/operators.md"), "setting");
        var documented = new Dictionary<string, string>();
        foreach (var row in rows)
        {
            var keys = KeysOf(row[0]);
            var defaults = row[1].Split(" / ").Select(d => d.Trim()).ToList();
            for (var i = 0; i < keys.Count; i++)
                documented[keys[i]] = defaults.Count == keys.Count ? defaults[i] : row[1];
        }
        var inCode = SettingsInCode();
        Assert.True(inCode.Count >= 40, $"only {inCode.Count} settings found in the option classes");

        var missing = inCode.Keys.Where(k => !documented.ContainsKey(k)).Order().ToList();
        Assert.True(missing.Count == 0, "settings the operators' guide does not list: " + string.Join(", ", missing));

        // A documented key that no option class binds must be read by name somewhere in the portal's code.
        var source = string.Concat(Directory.GetFiles(Path.Combine(Root, "Portal.Web"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).Select(File.ReadAllText));
        foreach (var key in documented.Keys.Where(k => !inCode.ContainsKey(k)))
            Assert.True(key == "Urls" || source.Contains($"\"{key}\"", StringComparison.Ordinal)
                        || (key.StartsWith("ConnectionStrings:", StringComparison.Ordinal) && source.Contains($"GetConnectionString(\"{key["ConnectionStrings:".Length..]}\")", StringComparison.Ordinal)),
                $"the operators' guide lists {key}, which the portal does not read");

        // Defaults: where the cell gives one value per key in backticks, it is the code's.
        foreach (var (key, value) in inCode)
        {
            var cell = documented[key];
            var expected = Shown(value);
            var written = CodeSpans(cell) is [var one] && !cell.Contains(' ') ? one : cell;
            if (written.StartsWith("generated", StringComparison.Ordinal) || written.StartsWith("the ", StringComparison.Ordinal)) continue; // computed at start
            Assert.True(written == expected, $"{key}: the guide says “{written}”, the code's default is “{expected}”");
        }
    }

    [Fact]
    public void The_readme_verbs_table_is_the_command_line()
    {
        var documented = Table(Read("README.md"), "verb").SelectMany(r => CodeSpans(r[0]).Select(s => s.Split(' ')[0])).ToHashSet();
        Assert.Equal(Portal.Web.Cli.PortalCommands.Verbs.Order(), documented.Order());
    }

    [Fact]
    public void The_readme_pages_table_is_every_page_the_router_knows()
    {
        var routed = _portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).ToHashSet();
        var documented = Table(Read("README.md"), "audience").SelectMany(r => CodeSpans(r[1])).ToHashSet();
        Assert.True(routed.Count >= 30, $"only {routed.Count} pages routed");
        Assert.Equal(routed.Order(), documented.Order());
    }

    [Fact]
    public void The_api_clients_endpoints_table_is_every_api_route()
    {
        static string Plain(string pattern) => Regex.Replace(pattern, @"\{(\w+):[^}]+\}", "{$1}");
        var routed = _portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("api/", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => $"{m} /{Plain(e.RoutePattern.RawText!.Trim('/'))}"))
            .ToHashSet();
        var documented = Table(Read("docs/api-clients.md"), "endpoint").SelectMany(r => CodeSpans(r[0])).ToHashSet();
        Assert.True(routed.Count >= 15, $"only {routed.Count} API routes");
        Assert.Equal(routed.Order(), documented.Order());
    }

    [Fact]
    public void Every_picture_and_guide_a_document_links_to_exists()
    {
        foreach (var doc in Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Append(Path.Combine(Root, "README.md")))
        {
            var text = File.ReadAllText(doc);
            foreach (Match link in Regex.Matches(text, @"\]\(([^)#\s]+)(#[^)]*)?\)"))
            {
                var target = link.Groups[1].Value;
                if (target.StartsWith("http", StringComparison.Ordinal)) continue;
                Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(doc)!, target)), $"{Path.GetFileName(doc)} links to {target}, which does not exist");
            }
        }
        Assert.True(Read("README.md").Split('\n').Length <= 120, "the README is a front door: keep it short and link to docs/");
    }
}
