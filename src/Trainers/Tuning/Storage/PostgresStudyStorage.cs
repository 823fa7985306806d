using System.Data.Common;
using Npgsql;

namespace DeepLearning.Trainers.Tuning.Storage;

/// <summary>
/// Studies in a PostgreSQL database (URL <c>postgresql://user:password@host:port/database</c>),
/// shared by workers on several machines: a waiting trial is claimed with
/// <c>UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED) RETURNING</c>, so two workers never
/// claim the same trial and neither waits for the other.
/// </summary>
internal sealed class PostgresStudyStorage : SqlStudyStorage
{
    /// <summary>Advisory-lock key under which the tables are created (any constant shared by all workers).</summary>
    private const long SchemaLockKey = 0x444C_5475_6E65;

    private readonly NpgsqlDataSource _source;

    /// <summary>Connects and creates the tables when missing.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    public PostgresStudyStorage(string connectionString)
    {
        _source = NpgsqlDataSource.Create(connectionString);
        try
        {
            CreateSchema();
        }
        catch
        {
            _source.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    protected override string IdColumn => "BIGSERIAL PRIMARY KEY";

    /// <inheritdoc />
    protected override string ClaimLock => "FOR UPDATE SKIP LOCKED";

    /// <inheritdoc />
    public override void Dispose() => _source.Dispose();

    /// <inheritdoc />
    protected override DbConnection Connect() => _source.OpenConnection();

    /// <inheritdoc />
    protected override DbTransaction BeginWrite(DbConnection connection) => connection.BeginTransaction();

    /// <inheritdoc />
    protected override void LockSchema(DbConnection connection, DbTransaction transaction)
        => Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({SchemaLockKey})");
}
