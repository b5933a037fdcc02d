-- wrk script: one GET path over and over; for the queue listing
-- GET /api/v1/tickets?line=1&status=new,open&limit=50 (access rules of the caller applied).
-- Args (after --): PATH. The Authorization header comes from the command line (-H).
-- done() prints "FL_RESULT requests=.. duration_us=.. non2xx=.. p50_us=.. p99_us=.. ..."

function init(args)
  wrk.method = "GET"
  wrk.path = args[1] or "/api/v1/tickets?line=1&status=new,open&limit=50"
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "FL_RESULT requests=%d duration_us=%d non2xx=%d socket_errors=%d p50_us=%d p90_us=%d " ..
    "p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
