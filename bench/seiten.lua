-- wrk script of the page benchmark: after the run, print p95 latency and the error count.
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("P95_US %d\n", latency:percentile(95)))
  io.write(string.format("FEHLER %d\n",
    errors.connect + errors.read + errors.write + errors.status + errors.timeout))
end
