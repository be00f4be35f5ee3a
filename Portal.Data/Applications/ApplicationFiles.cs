namespace Portal.Data.Applications;

/// <summary>What may be attached: PDF, JPEG or PNG, recognised by their content (not their name), at most 5 files of 5 MB.</summary>
public static class ApplicationFiles
{
    public const int MaxFiles = 5;
    public const long MaxBytes = 5 * 1024 * 1024;

    /// <summary>The type the bytes are, or null when they are none of the accepted ones.</summary>
    public static string? ContentTypeOf(ReadOnlySpan<byte> content) =>
        content.StartsWith("%PDF-"u8) ? "application/pdf"
        : content.Length >= 3 && content[0] == 0xFF && content[1] == 0xD8 && content[2] == 0xFF ? "image/jpeg"
        : content.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : null;

    /// <summary>A file name safe to show and to offer as a download name: no path, no control characters, at most 100 characters.</summary>
    public static string SafeName(string? name)
    {
        var n = Path.GetFileName((name ?? "").Replace('\\', '/'));
        // Control and format characters out: a right-to-left override (U+202E) makes "invoice‮fdp.exe" read as a PDF,
        // zero-width characters make two names look alike.
        n = new string(n.Where(c => !char.IsControl(c) && char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.Format
                                    && c is not ('"' or '/' or ':' or '*' or '?' or '<' or '>' or '|')).ToArray()).Trim();
        if (n.Length == 0) n = "附件";
        return n.Length > 100 ? n[^100..] : n;
    }

    /// <summary>Checks one file; a Chinese error naming it, or null when it is accepted.</summary>
    public static string? Check(string name, ReadOnlySpan<byte> content)
    {
        if (content.Length == 0) return $"附件“{name}”是空文件";
        if (content.Length > MaxBytes) return $"附件“{name}”超过 {MaxBytes / 1024 / 1024} MB";
        return ContentTypeOf(content) is null ? $"附件“{name}”不是 PDF、JPEG 或 PNG 文件（按文件内容判断，而非扩展名）" : null;
    }
}
