namespace DeepLearning.Trainers.Tuning.Storage;

/// <summary>Studies in this process's memory (URL <c>memory</c>): for one process; lost when it ends.</summary>
internal sealed class InMemoryStudyStorage : IStudyStorage
{
    private readonly Lock _lock = new();
    private readonly List<(string Name, bool Maximize)> _studies = [];
    private readonly List<Row> _trials = [];

    /// <inheritdoc />
    public long OpenStudy(string name, bool maximize)
    {
        lock (_lock)
        {
            var index = _studies.FindIndex(s => s.Name == name);
            if (index < 0)
            {
                _studies.Add((name, maximize));
                return _studies.Count - 1;
            }

            StudyDirection.Check(name, _studies[index].Maximize, maximize);
            return index;
        }
    }

    /// <inheritdoc />
    public void Enqueue(long study, IReadOnlyList<string> parametersJson)
    {
        lock (_lock)
        {
            for (var number = 0; number < parametersJson.Count; number++)
            {
                if (!_trials.Any(t => t.Study == study && t.Number == number))
                {
                    _trials.Add(new Row(study, number, parametersJson[number]));
                }
            }
        }
    }

    /// <inheritdoc />
    public ClaimedTrial? Claim(long study, string worker, long nowMs)
    {
        lock (_lock)
        {
            var row = _trials.Where(t => t.Study == study && t.State == TrialState.Waiting).MinBy(t => t.Number);
            if (row is null)
            {
                return null;
            }

            (row.State, row.Worker, row.Heartbeat, row.Started) = (TrialState.Running, worker, nowMs, nowMs);
            return new ClaimedTrial(_trials.IndexOf(row), row.Number, row.Parameters);
        }
    }

    /// <inheritdoc />
    public void Heartbeat(long trial, long nowMs)
    {
        lock (_lock)
        {
            _trials[(int)trial].Heartbeat = nowMs;
        }
    }

    /// <inheritdoc />
    public void Report(long trial, int step, double value)
    {
        lock (_lock)
        {
            _trials[(int)trial].Intermediate[step] = value;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<(int Number, double Value)> ValuesAt(long study, int step)
    {
        lock (_lock)
        {
            return [.. _trials.Where(t => t.Study == study && t.Intermediate.ContainsKey(step)).Select(t => (t.Number, t.Intermediate[step]))];
        }
    }

    /// <inheritdoc />
    public void Finish(long trial, TrialState state, double? value, string metricsJson, bool feasible, string? error, long nowMs)
    {
        lock (_lock)
        {
            var row = _trials[(int)trial];
            if (row.State == TrialState.Running)
            {
                (row.State, row.Value, row.Metrics, row.Feasible, row.Error, row.Finished) = (state, value, metricsJson, feasible, error, nowMs);
            }
        }
    }

    /// <inheritdoc />
    public int FailStale(long study, long staleBeforeMs, long nowMs)
    {
        lock (_lock)
        {
            var stale = _trials.Where(t => t.Study == study && t.State == TrialState.Running && t.Heartbeat < staleBeforeMs).ToList();
            stale.ForEach(t => (t.State, t.Error, t.Finished) = (TrialState.Failed, IStudyStorage.StaleError, nowMs));
            return stale.Count;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<StoredTrial> Trials(long study)
    {
        lock (_lock)
        {
            return [.. _trials.Where(t => t.Study == study).OrderBy(t => t.Number).Select(t => new StoredTrial(
                t.Number, t.State, t.Parameters, t.Value, t.Metrics, t.Feasible, t.Worker, t.Started, t.Finished, t.Error, new Dictionary<int, double>(t.Intermediate)))];
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class Row(long study, int number, string parameters)
    {
        public long Study { get; } = study;

        public int Number { get; } = number;

        public string Parameters { get; } = parameters;

        public TrialState State { get; set; } = TrialState.Waiting;

        public double? Value { get; set; }

        public string? Metrics { get; set; }

        public bool Feasible { get; set; }

        public string? Worker { get; set; }

        public long? Heartbeat { get; set; }

        public long? Started { get; set; }

        public long? Finished { get; set; }

        public string? Error { get; set; }

        public Dictionary<int, double> Intermediate { get; } = [];
    }
}
