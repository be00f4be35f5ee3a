using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Persistence;

namespace Portal.Tests.Persistence;

/// <summary>
/// SQL Server cannot run on these machines (no Docker engine, not in Debian), so the third provider is checked offline:
/// the script EF Core's SqlServer provider generates to create a fresh database has every table, column (with its
/// nullability) and index of the model, stores all text as Unicode (names are Chinese), and dates and amounts in types
/// that keep them exactly. What is not checked here: that a server runs it, and the queries at run time (see docs/operators.md).
/// </summary>
public partial class SqlServerSchemaTests
{
    private const string Offline = "Server=sqlserver.invalid;Database=portal;Encrypt=true"; // never connected to

    private static string Script<TContext>(Func<DbContextOptions<TContext>, TContext> create) where TContext : DbContext
    {
        var options = new DbContextOptionsBuilder<TContext>();
        DatabaseProvider.Configure(options, DatabaseProviderKind.SqlServer, Offline);
        using var db = create(options.Options);
        Assert.True(db.Database.IsSqlServer());
        return db.Database.GenerateCreateScript();
    }

    [GeneratedRegex(@"CREATE TABLE \[(?<table>[^\]]+)\] \((?<body>.*?)\n\);", RegexOptions.Singleline)]
    private static partial Regex Table();

    [GeneratedRegex(@"^\s*\[(?<column>[^\]]+)\] (?<type>[a-z0-9]+(?:\([^)]*\))?)(?<rest>[^,\n]*)", RegexOptions.Multiline)]
    private static partial Regex ColumnLine();

    [GeneratedRegex(@"CREATE (?:UNIQUE )?INDEX \[(?<index>[^\]]+)\] ON \[(?<table>[^\]]+)\]")]
    private static partial Regex Index();

    private static (HashSet<SchemaTests.Column> Columns, Dictionary<(string, string), string> Types, HashSet<string> Indexes) Parse(string script)
    {
        var columns = new HashSet<SchemaTests.Column>();
        var types = new Dictionary<(string, string), string>();
        foreach (Match table in Table().Matches(script))
            foreach (Match line in ColumnLine().Matches(table.Groups["body"].Value))
            {
                var (name, column) = (table.Groups["table"].Value, line.Groups["column"].Value);
                columns.Add(new SchemaTests.Column(name, column, !line.Groups["rest"].Value.Contains("NOT NULL")));
                types[(name, column)] = line.Groups["type"].Value;
            }
        return (columns, types, Index().Matches(script).Select(m => m.Groups["index"].Value).ToHashSet());
    }

    [Fact]
    public void The_create_script_has_every_table_column_and_index_of_the_model()
    {
        var script = Script<PortalDbContext>(o => new PortalDbContext(o));
        var (columns, _, indexes) = Parse(script);
        using var model = new PortalDbContext(DatabaseProvider.Options(DatabaseProviderKind.SqlServer, Offline));
        Assert.Equal(SchemaTests.ModelColumns(model).OrderBy(c => c.Table).ThenBy(c => c.Name), columns.OrderBy(c => c.Table).ThenBy(c => c.Name));
        Assert.Equal(SchemaTests.ModelIndexes(model).Order(), indexes.Order());
        Assert.DoesNotContain("sqlite", script, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("jsonb", script, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Text_is_unicode_and_dates_and_amounts_keep_their_exact_value()
    {
        using var model = new PortalDbContext(DatabaseProvider.Options(DatabaseProviderKind.SqlServer, Offline));
        var (_, types, _) = Parse(Script<PortalDbContext>(o => new PortalDbContext(o)));
        foreach (var entity in model.Model.GetEntityTypes())
        {
            var table = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            foreach (var p in entity.GetProperties())
            {
                var type = types[(entity.GetTableName()!, p.GetColumnName(table)!)];
                var clr = Nullable.GetUnderlyingType(p.ClrType) ?? p.ClrType;
                if (clr == typeof(string)) Assert.True(type.StartsWith("nvarchar"), $"{entity.GetTableName()}.{p.Name} is {type}: Chinese text needs nvarchar");
                else if (clr == typeof(DateOnly)) Assert.Equal("date", type);
                else if (clr == typeof(DateTime)) Assert.Equal("datetime2", type);
                else if (clr == typeof(decimal)) Assert.Matches(@"^decimal\(\d+,2\)$", type);
            }
        }
    }

    [Fact]
    public void The_staff_accounts_script_creates_the_identity_tables()
    {
        var script = Script<Portal.Web.BackOffice.StaffDbContext>(o => new Portal.Web.BackOffice.StaffDbContext(o));
        Assert.Contains("CREATE TABLE [AspNetUsers]", script);
        Assert.Contains("CREATE TABLE [AspNetUserRoles]", script);
        Assert.Contains("[MustChangePassword] bit NOT NULL", script);
    }

    [Theory]
    [InlineData("SqlServer")]
    [InlineData("sqlserver")]
    [InlineData("mssql")]
    public void The_provider_is_chosen_by_configuration(string name) =>
        Assert.Equal(DatabaseProviderKind.SqlServer, DatabaseProvider.Parse(name));
}
