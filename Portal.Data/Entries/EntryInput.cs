using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Data.Entries;

/// <summary>
/// An entry as it arrives from an import line or a form, with domain.md's field names. Everything is text
/// so that a bad value gets a message naming the field, not a parser exception.
/// </summary>
public sealed class EntryInput
{
    public string? CaseNumber { get; set; }
    public string? SubjectType { get; set; }
    public string? Name { get; set; }
    public string? IdNumber { get; set; }
    public string? Gender { get; set; }
    public string? CreditCode { get; set; }
    public string? LegalRepresentative { get; set; }

    /// <summary>The legal representative's ID number (optional; never public).</summary>
    public string? LegalRepresentativeIdNumber { get; set; }
    public string? Court { get; set; }
    public string? Province { get; set; }
    public string? BasisDocumentNumber { get; set; }
    public string? BasisIssuer { get; set; }
    public string? Obligation { get; set; }
    public string? PerformanceStatus { get; set; }

    [JsonConverter(typeof(CircumstancesInputConverter))]
    public List<string>? Circumstances { get; set; }

    [JsonConverter(typeof(PartInputConverter))]
    public PartInput? PerformedPart { get; set; }

    [JsonConverter(typeof(PartInputConverter))]
    public PartInput? UnperformedPart { get; set; }

    public string? FiledAt { get; set; }
    public string? PublishedAt { get; set; }
    public string? RevokedAt { get; set; }

    /// <summary>When a shielded entry came off the public list (a court's list records it); the import time when not given.</summary>
    public string? ShieldedAt { get; set; }
    public string? ListingEndsAt { get; set; }
    public string? Status { get; set; }
    public bool? NonPublic { get; set; }
    public string? EmployerUnit { get; set; }

    /// <summary>The day the risk notice (风险提示) was served and how (personal, left, electronic, mail): a published list carries it.</summary>
    public string? RiskNoticeServedOn { get; set; }
    public string? RiskNoticeMethod { get; set; }

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };
}

/// <summary>An amount in yuan and/or a text, e.g. {"amount": 12000, "text": "已执行到位部分车辆"}.</summary>
public sealed record PartInput(decimal? Amount, string? Text);

/// <summary>Accepts a number (amount), a string (text) or an object {amount, text}.</summary>
internal sealed class PartInputConverter : JsonConverter<PartInput?>
{
    public override PartInput? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null: return null;
            case JsonTokenType.Number: return new PartInput(reader.GetDecimal(), null);
            case JsonTokenType.String:
                var s = reader.GetString();
                return decimal.TryParse(s, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var d)
                    ? new PartInput(d, null) : new PartInput(null, s);
            case JsonTokenType.StartObject:
                decimal? amount = null; string? text = null;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var prop = reader.GetString();
                    reader.Read();
                    if (string.Equals(prop, "amount", StringComparison.OrdinalIgnoreCase) && reader.TokenType != JsonTokenType.Null)
                        amount = reader.TokenType == JsonTokenType.String ? decimal.Parse(reader.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : reader.GetDecimal();
                    else if (string.Equals(prop, "text", StringComparison.OrdinalIgnoreCase) && reader.TokenType != JsonTokenType.Null)
                        text = reader.GetString();
                    else reader.Skip();
                }
                return new PartInput(amount, text);
            default: throw new JsonException("应为金额、文字或 {amount, text}");
        }
    }

    public override void Write(Utf8JsonWriter writer, PartInput? value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, options);
}

/// <summary>Accepts an array of codes or one comma-separated string.</summary>
internal sealed class CircumstancesInputConverter : JsonConverter<List<string>?>
{
    public override List<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType == JsonTokenType.String)
            return reader.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("应为情形代码数组");
        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            list.Add(reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException("情形代码应为文字"));
        return list;
    }

    public override void Write(Utf8JsonWriter writer, List<string>? value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, options);
}
