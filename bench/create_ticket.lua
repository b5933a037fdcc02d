-- wrk script: POST /api/v1/tickets as fast as the connections allow.
-- Args (after --): [words=FILE] [REQUESTER_ID ...]. With words=FILE, subjects and descriptions
-- are drawn from that word list (one word a line), so that ticket search has a realistic
-- vocabulary (bench/kb_search); without it every subject is "Bench ticket ...". Requesters are
-- customers to create tickets for, round-robin (none: the caller is the requester). The
-- Authorization header comes from -H.
-- The run lasts -d seconds (bench/api_load repeats runs until enough tickets exist; a
-- per-thread quota with wrk.thread:stop() would not shorten wrk's run, so rates would lie).
-- done() prints one line: "FL_RESULT created=.. failed=.. duration_us=.. min_id=.. max_id=.."

local threads = {}
local next_thread = 0

function setup(thread)
  thread:set("tid", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

local channels = { "phone", "email", "web", "chat", "api" }
local categories = { "hardware", "software", "network", "access", "printing" }

function init(args)
  words = nil
  local first = 1
  if args[1] and string.sub(args[1], 1, 6) == "words=" then
    words = {}
    for line in io.lines(string.sub(args[1], 7)) do
      if #line > 0 then table.insert(words, line) end
    end
    first = 2
  end
  requesters = {}
  for i = first, #args do table.insert(requesters, tonumber(args[i])) end
  math.randomseed(os.time() * 7919 + tid * 104729)
  created, failed, counter = 0, 0, 0
  min_id, max_id = -1, -1
  wrk.method = "POST"
  wrk.path = "/api/v1/tickets"
  wrk.headers["Content-Type"] = "application/json"
end

local function phrase(n)
  local t = {}
  for i = 1, n do t[i] = words[math.random(#words)] end
  return table.concat(t, " ")
end

function request()
  counter = counter + 1
  local requester = ""
  if #requesters > 0 then
    requester = string.format(',"requester_id":%d', requesters[counter % #requesters + 1])
  end
  local subject, description
  if words then
    subject = phrase(math.random(3, 6))
    description = string.format("%s. Seen since %d.%d, see %s.", phrase(math.random(8, 25)),
                                math.random(1, 24), math.random(0, 9), phrase(2))
  else
    subject = string.format("Bench ticket %d-%d: %s problem", tid, counter,
                            categories[counter % #categories + 1])
    description = "Created by bench/api_load."
  end
  local body = string.format(
    '{"subject":"%s","description":"%s",' ..
    '"channel":"%s","category":"%s","impact":%d,"urgency":%d,"tags":["bench"]%s}',
    subject, description, channels[counter % #channels + 1],
    categories[counter % #categories + 1], counter % 3 + 1, math.floor(counter / 3) % 3 + 1, requester)
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
    local id = tonumber(string.match(body, '^%s*{%s*"id"%s*:%s*(%d+)')
                        or string.match(body, '"id"%s*:%s*(%d+)'))
    if id then
      if min_id < 0 or id < min_id then min_id = id end
      if id > max_id then max_id = id end
    end
  else
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local c, f, lo, hi = 0, 0, -1, -1
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    f = f + t:get("failed")
    local tlo, thi = t:get("min_id"), t:get("max_id")
    if tlo >= 0 and (lo < 0 or tlo < lo) then lo = tlo end
    if thi > hi then hi = thi end
  end
  io.write(string.format(
    "FL_RESULT created=%d failed=%d duration_us=%d min_id=%d max_id=%d p50_us=%d p99_us=%d " ..
    "socket_errors=%d\n",
    c, f, summary.duration, lo, hi, latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
