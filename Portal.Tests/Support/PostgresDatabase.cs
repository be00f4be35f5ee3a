using Npgsql;

namespace Portal.Tests.Support;

/// <summary>
/// A throwaway database on the real PostgreSQL server that ./test.sh starts on loopback. Without that server the
/// PostgreSQL tests fail (they never skip): run the suite with ./test.sh.
/// </summary>
public sealed class PostgresDatabase : IDisposable
{
    public const string Variable = "PORTAL_TEST_POSTGRES";

    private readonly string _server;
    public string Name { get; }
    public string ConnectionString { get; }

    private PostgresDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ToString();
    }

    public static PostgresDatabase Create()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
            throw new InvalidOperationException($"{Variable} is not set: run the tests with ./test.sh, which starts a throwaway PostgreSQL server.");
        return new PostgresDatabase(server, "portal_test_" + Guid.NewGuid().ToString("N")[..12]);
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        using var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Database = "postgres", Pooling = false }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)";
        cmd.ExecuteNonQuery();
    }
}
