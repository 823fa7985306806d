using System.Text.RegularExpressions;
using Npgsql;

namespace DeepLearning.Trainers.Tuning.Storage;

/// <summary>
/// Opens a study storage from its URL: <c>memory</c>; <c>sqlite:PATH</c> (a file, created if
/// missing); <c>postgresql://user:password@host:port/database</c> (also <c>postgres://</c>; port
/// 5432 by default).
/// </summary>
internal static partial class StudyStorage
{
    /// <summary>Opens the storage, or throws <see cref="InvalidOperationException"/> naming the URL (password masked) when it cannot be reached.</summary>
    public static IStudyStorage Open(string url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new ArgumentException("Option Storage must be a storage URL (memory, sqlite:PATH or postgresql://user:password@host:port/database), not empty.", "Storage");
        }

        try
        {
            return url switch
            {
                "memory" => new InMemoryStudyStorage(),
                _ when url.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) => OpenSqlite(url["sqlite:".Length..]),
                _ when url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
                    => new PostgresStudyStorage(PostgresConnectionString(url)),
                _ => throw new ArgumentException($"Option Storage = '{Mask(url)}' is invalid: use memory, sqlite:PATH or postgresql://user:password@host:port/database.", "Storage"),
            };
        }
        catch (Exception e) when (e is not ArgumentException)
        {
            throw new InvalidOperationException($"Cannot open the study storage '{Mask(url)}': {e.Message}", e);
        }
    }

    /// <summary>The URL with its password replaced by <c>***</c> (everything up to the last <c>@</c>, so an unescaped <c>@</c> in a password is masked too).</summary>
    public static string Mask(string url) => Password().Replace(url, "$1***@");

    /// <summary>The Npgsql connection string of a <c>postgresql://</c> URL.</summary>
    internal static string PostgresConnectionString(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host) || uri.AbsolutePath.Trim('/').Length == 0)
        {
            throw new ArgumentException($"Option Storage = '{Mask(url)}' is invalid: a PostgreSQL URL is postgresql://user:password@host:port/database.", "Storage");
        }

        var user = uri.UserInfo.Split(':', 2);
        return new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/')),
            Username = user[0].Length == 0 ? null : Uri.UnescapeDataString(user[0]),
            Password = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : null,
            Timeout = 10,
            CommandTimeout = 60,
        }.ToString();
    }

    private static SqliteStudyStorage OpenSqlite(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("Option Storage = 'sqlite:' is invalid: name the database file, e.g. sqlite:study.db.", "Storage");
        }

        return new SqliteStudyStorage(path);
    }

    [GeneratedRegex("(://[^:/@]*:).*@")]
    private static partial Regex Password();
}
