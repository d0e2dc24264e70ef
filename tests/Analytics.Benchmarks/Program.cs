using BenchmarkDotNet.Running;

// "duckdb-score" runs the DuckDB reference for the streaming-scoring benchmark; everything else goes to BenchmarkDotNet.
if (args is ["duckdb-score", var parquet, var model, var output])
{
    return await Segmentation.Analytics.Benchmarks.DuckDbScoring.RunAsync(parquet, model, output);
}

BenchmarkSwitcher.FromAssembly(typeof(Segmentation.Analytics.Benchmarks.SweepBenchmarks).Assembly).Run(args);
return 0;
