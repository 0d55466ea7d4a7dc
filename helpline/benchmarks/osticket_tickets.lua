-- wrk script for tickets opened through the osTicket-compatible API: each request POSTs one ticket as
-- osTicket's documentation shows it (JSON, the key in X-API-Key), for a new requester each time.
--
--   wrk -t8 -c8 -d20s -s osticket_tickets.lua http://127.0.0.1:PORT -- /api/tickets.json KEY
--
-- done() prints the JSON line open_tickets.lua prints (no GETs here): tickets opened (201), failures,
-- and every POST's latency in microseconds.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock_id, bench_timespec *tp);
]]
local clock = ffi.new("bench_timespec")
local function now_us()
  ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) * 1e6 + tonumber(clock.tv_nsec) / 1e3
end

local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

function init(args)
  path, key = args[1], args[2]
  sent, started, opened, refused = 0, 0, 0, 0
  post_us, statuses = {}, {}
end

function request()
  started = now_us()
  sent = sent + 1
  local who = string.format("t%d-%d-%d", id, sent, math.random(1e9))
  local body = string.format(
    '{"alert": true, "autorespond": true, "source": "API", "name": "Bench Script %s", ' ..
    '"email": "bench-api-%s@example.test", "subject": "Write-path ticket %s", "ip": "192.0.2.1", ' ..
    '"message": "data:text/html,The <b>printer</b> on the second floor shows error 41 again."}',
    who, who, who)
  local headers = { ["X-API-Key"] = key, ["Content-Type"] = "application/json" }
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  table.insert(post_us, now_us() - started)
  statuses[tostring(status)] = (statuses[tostring(status)] or 0) + 1
  if status == 201 then
    opened = opened + 1
  else
    refused = refused + 1
  end
end

local function json_list(values)
  local out = {}
  for i, v in ipairs(values) do
    out[i] = string.format("%.0f", v)
  end
  return "[" .. table.concat(out, ",") .. "]"
end

function done(summary, latency, requests)
  local opened_all, refused_all, posts, codes = 0, 0, {}, {}
  for _, thread in ipairs(threads) do
    opened_all = opened_all + thread:get("opened")
    refused_all = refused_all + thread:get("refused")
    for _, v in ipairs(thread:get("post_us")) do table.insert(posts, v) end
    for code, count in pairs(thread:get("statuses")) do codes[code] = (codes[code] or 0) + count end
  end
  local code_parts = {}
  for code, count in pairs(codes) do
    table.insert(code_parts, string.format('"%s":%d', code, count))
  end
  io.write(string.format(
    '{"duration_us":%d,"requests":%d,"opened":%d,"refused":%d,"broken_forms":0,' ..
    '"socket_errors":%d,"statuses":{%s},"get_us":[],"post_us":%s}\n',
    summary.duration, summary.requests, opened_all, refused_all,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    table.concat(code_parts, ","), json_list(posts)))
end
