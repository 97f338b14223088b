"""The engines that map a log's events to outcomes: DuckDB (embedded, the default) and Spark
(for a log that outgrows one machine). Both follow :mod:`tracer.ledger.outcomes` exactly."""
