using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Tap.Bench.SigV4.SignatureBenchmarks).Assembly).Run(args);
