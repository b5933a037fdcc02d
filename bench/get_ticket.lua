-- wrk script: GET /api/v1/tickets/{id} with ids drawn uniformly from [LO, HI].
-- Args (after --): LO HI. The Authorization header comes from the command line (-H).
-- done() prints "FL_RESULT requests=.. duration_us=.. non2xx=.. p50_us=.. p99_us=.. ..."

local next_thread = 0

function setup(thread)
  thread:set("tid", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  lo = tonumber(args[1])
  hi = tonumber(args[2])
  math.randomseed(os.time() * 7919 + tid)
end

function request()
  return wrk.format("GET", "/api/v1/tickets/" .. math.random(lo, hi))
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "FL_RESULT requests=%d duration_us=%d non2xx=%d socket_errors=%d p50_us=%d p90_us=%d " ..
    "p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
