using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Segmentation.Analytics.Benchmarks.SweepBenchmarks).Assembly).Run(args);
