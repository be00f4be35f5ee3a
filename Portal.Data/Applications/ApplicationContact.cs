using System.Text.RegularExpressions;

namespace Portal.Data.Applications;

/// <summary>How the court reaches the applicant: a mainland mobile or landline number, or an email address.</summary>
public static partial class ApplicationContact
{
    [GeneratedRegex(@"^1[3-9]\d{9}$")] private static partial Regex Mobile();
    [GeneratedRegex(@"^0\d{2,3}\d{7,8}$")] private static partial Regex Landline();
    [GeneratedRegex(@"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$")] private static partial Regex Email();

    /// <summary>The contact in one stored form and its channel, or a Chinese error.</summary>
    public static (string? Contact, ContactChannel Channel, string? Error) Parse(string? text)
    {
        var t = (text ?? "").Normalize(System.Text.NormalizationForm.FormKC).Trim();
        if (t.Length == 0) return (null, default, "请填写联系方式（手机号码、固定电话或电子邮箱），法院将通过它告知处理结果");
        if (t.Contains('@'))
            return t.Length <= 200 && Email().IsMatch(t) ? (t, ContactChannel.Email, null) : (null, default, "电子邮箱格式不正确，例如 zhangsan@example.com");
        var digits = t.StartsWith("+86", StringComparison.Ordinal) ? t[3..] : t;
        digits = new string(digits.Where(c => c is not (' ' or '-' or '(' or ')')).ToArray());
        if (Mobile().IsMatch(digits) || Landline().IsMatch(digits)) return (digits, ContactChannel.Phone, null);
        return (null, default, "联系电话格式不正确：手机号码为以1开头的11位数字，固定电话请带区号（如 010-12345678）");
    }

    /// <summary>What court staff see: 138****5678, z***@example.com.</summary>
    public static string Mask(string contact, ContactChannel channel)
    {
        if (channel == ContactChannel.Email)
        {
            var at = contact.IndexOf('@');
            return contact[..Math.Min(1, at)] + "***" + contact[at..];
        }
        return contact.Length <= 7 ? new string('*', contact.Length) : contact[..3] + new string('*', contact.Length - 7) + contact[^4..];
    }
}
