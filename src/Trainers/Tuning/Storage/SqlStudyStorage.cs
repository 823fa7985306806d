using System.Data.Common;

namespace DeepLearning.Trainers.Tuning.Storage;

/// <summary>
/// A study storage in a SQL database shared by workers: SQLite and PostgreSQL differ only in how a
/// connection opens, how a write transaction locks and how a waiting trial is claimed.
/// </summary>
internal abstract class SqlStudyStorage : IStudyStorage
{
    /// <summary>The column definition of an auto-numbered 64-bit primary key.</summary>
    protected abstract string IdColumn { get; }

    /// <summary>What follows the claim's inner <c>SELECT</c> (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>).</summary>
    protected abstract string ClaimLock { get; }

    /// <inheritdoc />
    public long OpenStudy(string name, bool maximize)
    {
        using var connection = Connect();
        using var transaction = BeginWrite(connection);
        Execute(connection, transaction, "INSERT INTO dl_studies(name, maximize) VALUES (@n, @m) ON CONFLICT (name) DO NOTHING", ("n", name), ("m", maximize ? 1 : 0));
        using var command = Command(connection, transaction, "SELECT id, maximize FROM dl_studies WHERE name = @n", ("n", name));
        using var reader = command.ExecuteReader();
        reader.Read();
        var (id, stored) = (reader.GetInt64(0), reader.GetInt32(1) == 1);
        reader.Close();
        transaction.Commit();
        StudyDirection.Check(name, stored, maximize);
        return id;
    }

    /// <inheritdoc />
    public void Enqueue(long study, IReadOnlyList<string> parametersJson)
    {
        using var connection = Connect();
        using var transaction = BeginWrite(connection);
        for (var number = 0; number < parametersJson.Count; number++)
        {
            Execute(connection, transaction, "INSERT INTO dl_trials(study_id, number, state, parameters, feasible) VALUES (@s, @n, 'waiting', @p, 0) ON CONFLICT (study_id, number) DO NOTHING",
                ("s", study), ("n", number), ("p", parametersJson[number]));
        }

        transaction.Commit();
    }

    /// <inheritdoc />
    public ClaimedTrial? Claim(long study, string worker, long nowMs)
    {
        using var connection = Connect();
        using var transaction = BeginWrite(connection);
        using var command = Command(connection, transaction,
            "UPDATE dl_trials SET state = 'running', worker = @w, heartbeat = @t, started = @t " +
            $"WHERE state = 'waiting' AND id = (SELECT id FROM dl_trials WHERE study_id = @s AND state = 'waiting' ORDER BY number LIMIT 1 {ClaimLock}) " +
            "RETURNING id, number, parameters",
            ("w", worker), ("t", nowMs), ("s", study));
        using var reader = command.ExecuteReader();
        var claimed = reader.Read() ? new ClaimedTrial(reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2)) : null;
        reader.Close();
        transaction.Commit();
        return claimed;
    }

    /// <inheritdoc />
    public void Heartbeat(long trial, long nowMs)
    {
        using var connection = Connect();
        Execute(connection, null, "UPDATE dl_trials SET heartbeat = @t WHERE id = @i AND state = 'running'", ("t", nowMs), ("i", trial));
    }

    /// <inheritdoc />
    public void Report(long trial, int step, double value)
    {
        using var connection = Connect();
        Execute(connection, null, "INSERT INTO dl_intermediate(trial_id, step, value) VALUES (@i, @s, @v) ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value",
            ("i", trial), ("s", step), ("v", value));
    }

    /// <inheritdoc />
    public IReadOnlyList<(int Number, double Value)> ValuesAt(long study, int step)
    {
        using var connection = Connect();
        using var command = Command(connection, null,
            "SELECT t.number, v.value FROM dl_intermediate v JOIN dl_trials t ON t.id = v.trial_id WHERE t.study_id = @s AND v.step = @step",
            ("s", study), ("step", step));
        using var reader = command.ExecuteReader();
        var values = new List<(int, double)>();
        while (reader.Read())
        {
            values.Add((reader.GetInt32(0), reader.GetDouble(1)));
        }

        return values;
    }

    /// <inheritdoc />
    public void Finish(long trial, TrialState state, double? value, string metricsJson, bool feasible, string? error, long nowMs)
    {
        using var connection = Connect();
        Execute(connection, null,
            "UPDATE dl_trials SET state = @st, value = @v, metrics = @m, feasible = @f, error = @e, finished = @t WHERE id = @i AND state = 'running'",
            ("st", StateName(state)), ("v", value), ("m", metricsJson), ("f", feasible ? 1 : 0), ("e", error), ("t", nowMs), ("i", trial));
    }

    /// <inheritdoc />
    public int FailStale(long study, long staleBeforeMs, long nowMs)
    {
        using var connection = Connect();
        return Execute(connection, null,
            "UPDATE dl_trials SET state = 'failed', error = @e, finished = @t WHERE study_id = @s AND state = 'running' AND heartbeat < @b",
            ("e", IStudyStorage.StaleError), ("t", nowMs), ("s", study), ("b", staleBeforeMs));
    }

    /// <inheritdoc />
    public IReadOnlyList<StoredTrial> Trials(long study)
    {
        using var connection = Connect();
        var intermediate = new Dictionary<int, Dictionary<int, double>>();
        using (var command = Command(connection, null, "SELECT t.number, v.step, v.value FROM dl_intermediate v JOIN dl_trials t ON t.id = v.trial_id WHERE t.study_id = @s", ("s", study)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var number = reader.GetInt32(0);
                intermediate.TryAdd(number, []);
                intermediate[number][reader.GetInt32(1)] = reader.GetDouble(2);
            }
        }

        var trials = new List<StoredTrial>();
        using (var command = Command(connection, null, "SELECT number, state, parameters, value, metrics, feasible, worker, started, finished, error FROM dl_trials WHERE study_id = @s ORDER BY number", ("s", study)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var number = reader.GetInt32(0);
                trials.Add(new StoredTrial(
                    number,
                    Enum.Parse<TrialState>(reader.GetString(1), ignoreCase: true),
                    reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetDouble(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    !reader.IsDBNull(5) && reader.GetInt32(5) == 1,
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.IsDBNull(7) ? null : reader.GetInt64(7),
                    reader.IsDBNull(8) ? null : reader.GetInt64(8),
                    reader.IsDBNull(9) ? null : reader.GetString(9),
                    intermediate.GetValueOrDefault(number) ?? []));
            }
        }

        return trials;
    }

    /// <inheritdoc />
    public virtual void Dispose()
    {
    }

    /// <summary>Creates the tables when missing, under the storage's write lock so concurrent workers do not race.</summary>
    protected void CreateSchema()
    {
        using var connection = Connect();
        using var transaction = BeginWrite(connection);
        LockSchema(connection, transaction);
        Execute(connection, transaction, $"CREATE TABLE IF NOT EXISTS dl_studies (id {IdColumn}, name TEXT NOT NULL UNIQUE, maximize INTEGER NOT NULL)");
        Execute(connection, transaction,
            $"CREATE TABLE IF NOT EXISTS dl_trials (id {IdColumn}, study_id BIGINT NOT NULL REFERENCES dl_studies(id), number INTEGER NOT NULL, " +
            "state TEXT NOT NULL, parameters TEXT NOT NULL, value DOUBLE PRECISION, metrics TEXT, feasible INTEGER, worker TEXT, " +
            "heartbeat BIGINT, started BIGINT, finished BIGINT, error TEXT, UNIQUE (study_id, number))");
        Execute(connection, transaction,
            "CREATE TABLE IF NOT EXISTS dl_intermediate (trial_id BIGINT NOT NULL REFERENCES dl_trials(id), step INTEGER NOT NULL, " +
            "value DOUBLE PRECISION NOT NULL, PRIMARY KEY (trial_id, step))");
        transaction.Commit();
    }

    /// <summary>An open connection.</summary>
    protected abstract DbConnection Connect();

    /// <summary>A transaction that holds the write lock from its start (SQLite: <c>BEGIN IMMEDIATE</c>).</summary>
    protected abstract DbTransaction BeginWrite(DbConnection connection);

    /// <summary>Serialises schema creation across processes, inside <paramref name="transaction"/>.</summary>
    protected virtual void LockSchema(DbConnection connection, DbTransaction transaction)
    {
    }

    /// <summary>Runs a statement and returns the number of rows it changed.</summary>
    protected static int Execute(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static string StateName(TrialState state) => state.ToString().ToLowerInvariant();
}
