"""The app's serving machinery, apart from the lessons: the prefetching memo, the navigation
guard and garbage-collector freeze, the one URL state of every page, and the helper for sliders
whose values are expensive to compute. The performance rules behind them are in
docs/benchmarks.md ("Performance rules")."""
