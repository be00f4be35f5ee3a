using Microsoft.AspNetCore.Components;

namespace Portal.Web.Components.Shared;

/// <summary>
/// Marks a public page whose slow part may stream in after its first paint. Streaming happens only when
/// <c>blazor.web.js</c> asked for the page (enhanced navigation): without JavaScript a streamed update never shows, so a
/// plain request still gets the whole page in one response. Only for pages that set their status code and headers
/// before their first await: once a page streams, its headers are gone.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class StreamWhenEnhancedAttribute : Attribute
{
    /// <summary>The Accept header blazor.web.js sends, and only it, on an enhanced navigation.</summary>
    public const string EnhancedNavigationAccept = "text/html; blazor-enhanced-nav=on";

    public static bool Applies(Type page, HttpContext? http) =>
        page.IsDefined(typeof(StreamWhenEnhancedAttribute), inherit: false)
        && http?.Request.Headers.Accept is [EnhancedNavigationAccept];
}

/// <summary>Streams what it holds: the streaming rendering attribute holds for every component below it.</summary>
[StreamRendering]
public sealed class StreamedContent : ComponentBase
{
    [Parameter] public RenderFragment? ChildContent { get; set; }

    protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder) => builder.AddContent(0, ChildContent);
}
