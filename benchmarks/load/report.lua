-- wrk script for benchmarks/load/run.sh: at the end of a run, print one line that the
-- script parses (latencies in microseconds, as wrk measures them):
-- RESULT requests=N duration_us=N rps=N p50_us=N p90_us=N p99_us=N max_us=N non2xx3xx=N
--        connect_errors=N read_errors=N write_errors=N timeouts=N
-- wrk counts a response with a status of 400 or more under non2xx3xx (its own
-- "Non-2xx or 3xx responses"); run.sh checks each route's status with curl first.

done = function(summary, latency, requests)
	local errors = summary.errors
	io.write(string.format(
		"RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d"
			.. " non2xx3xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
		summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
		latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
		errors.status, errors.connect, errors.read, errors.write, errors.timeout))
end
