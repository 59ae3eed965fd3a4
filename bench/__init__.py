"""The benchmark: `python -m bench.run` (make bench), and its control views under BENCHMARK=true."""
