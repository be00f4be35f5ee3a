using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Portal.Data.Persistence;

/// <summary>
/// Inserts many rows through one prepared statement built from the EF model (columns, value converters), in the
/// context's current transaction: the change tracker would make a million rows take minutes. What lands in the table is
/// what EF would write; generated keys are not read back.
/// </summary>
public static class BulkInsert
{
    public static async Task WriteAsync<T>(PortalDbContext db, IEnumerable<T> rows, CancellationToken ct) where T : class
    {
        var type = db.Model.FindEntityType(typeof(T))!;
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        var columns = type.GetProperties().Where(p => p.ValueGenerated == ValueGenerated.Never || !p.IsPrimaryKey()).ToList();
        await db.Database.OpenConnectionAsync(ct);
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        cmd.CommandText = $"INSERT INTO \"{type.GetTableName()}\" ({string.Join(", ", columns.Select(c => $"\"{c.GetColumnName(table)}\""))}) " +
                          $"VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        var parameters = columns.Select((_, i) =>
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "@p" + i;
            cmd.Parameters.Add(p);
            return p;
        }).ToList();
        var converters = columns.Select(c => c.GetTypeMapping().Converter).ToList();
        var getters = columns.Select(c => c.GetGetter()).ToList();
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                var value = getters[i].GetClrValue(row);
                if (value is not null && converters[i] is { } converter) value = converter.ConvertToProvider(value);
                parameters[i].Value = value ?? DBNull.Value;
            }
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }
}
