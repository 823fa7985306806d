using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace DeepLearning.Trainers.Tuning.Storage;

/// <summary>
/// Studies in a SQLite file (URL <c>sqlite:PATH</c>), the embedded default: processes on one
/// machine share it; every write runs in a <c>BEGIN IMMEDIATE</c> transaction (the file's write
/// lock), and the file is in WAL mode so readers do not block the writer.
/// </summary>
internal sealed class SqliteStudyStorage : SqlStudyStorage
{
    private readonly string _connectionString;

    /// <summary>Opens (creating if needed) the file and its tables.</summary>
    /// <param name="path">The database file.</param>
    public SqliteStudyStorage(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
        using (var connection = Connect())
        {
            Execute(connection, null, "PRAGMA journal_mode = WAL");
        }

        CreateSchema();
    }

    /// <inheritdoc />
    protected override string IdColumn => "INTEGER PRIMARY KEY AUTOINCREMENT";

    /// <inheritdoc />
    protected override string ClaimLock => string.Empty;

    /// <inheritdoc />
    public override void Dispose()
    {
        // Releases this file's pooled connections (and its handles), not other storages'.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <inheritdoc />
    protected override DbConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, null, "PRAGMA busy_timeout = 60000");
        return connection;
    }

    /// <inheritdoc />
    protected override DbTransaction BeginWrite(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: false);
}
