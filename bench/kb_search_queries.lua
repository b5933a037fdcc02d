-- wrk script: GET PATH?q=<query> with queries drawn at random from a file (one a line), for
-- /api/v1/kb/search, /api/v1/kb/suggest and /api/v1/tickets/search.
-- Args (after --): PATH QUERYFILE [THINK_MS [EXTRA]] — THINK_MS: each connection waits this long
-- after an answer before its next request (a client with think time; 0 or absent: none); EXTRA
-- is appended to the query string (e.g. "&limit=10").
-- The Authorization header comes from -H.
-- done() prints "FL_RESULT requests=.. duration_us=.. non2xx=.. p50_us=.. p90_us=.. p95_us=.. p99_us=.. max_us=.."

local next_thread = 0

function setup(thread)
  thread:set("tid", next_thread)
  next_thread = next_thread + 1
end

local function urlencode(s)
  return (string.gsub(s, "[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  path = args[1]
  think = tonumber(args[3] or "0") or 0
  extra = args[4] or ""
  queries = {}
  for line in io.lines(args[2]) do
    if #line > 0 then table.insert(queries, path .. "?q=" .. urlencode(line) .. extra) end
  end
  math.randomseed(os.time() * 7919 + tid * 104729)
end

function delay()
  return think
end

function request()
  return wrk.format("GET", queries[math.random(#queries)])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "FL_RESULT requests=%d duration_us=%d non2xx=%d socket_errors=%d p50_us=%d p90_us=%d " ..
    "p95_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max))
end
