-- wrk script of the benchmark: no per-request Lua (that would slow wrk down), only one machine-readable line at
-- the end, with the percentiles wrk's own summary leaves out (99.9). Latencies are in microseconds.
-- summary.errors.status counts answers with a status >= 400 (wrk's definition of a non-2xx/3xx answer).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d timeout=%d status=%d " ..
    "p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max))
end
