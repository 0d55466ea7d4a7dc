-- wrk script for the APIs' write path: each connection opens tickets over and over, as a monitoring system
-- or a script does, a new requester each time, through one of two doors:
--
--   wrk -t8 -c8 -d20s -s api_tickets.lua http://127.0.0.1:PORT -- v1 DEPARTMENT_ID API_KEY
--       POST /api/v1/tickets (JSON, the key as the Bearer credential)
--   wrk -t8 -c8 -d20s -s api_tickets.lua http://127.0.0.1:PORT -- osticket /api/tickets.json API_KEY
--       osTicket's ticket API as its documentation shows it (JSON, the key in X-API-Key)
--
-- done() prints one JSON line in the shape open_tickets.lua prints (no GETs here).

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
  door, target, key = args[1], args[2], args[3]
  sent, started, opened, refused = 0, 0, 0, 0
  post_us, statuses = {}, {}
end

function request()
  started = now_us()
  sent = sent + 1
  local who = string.format("t%d-%d-%d", id, sent, math.random(1e9))
  if door == "osticket" then
    local body = string.format(
      '{"alert": true, "autorespond": true, "source": "API", "name": "Bench Script %s", ' ..
      '"email": "bench-api-%s@example.test", "subject": "Write-path ticket %s", "ip": "192.0.2.1", ' ..
      '"message": "data:text/html,The <b>printer</b> on the second floor shows error 41 again."}',
      who, who, who)
    local headers = { ["X-API-Key"] = key, ["Content-Type"] = "application/json" }
    return wrk.format("POST", target, headers, body)
  end
  local body = string.format(
    '{"requester":{"email":"bench-api-%s@example.test","name":"Bench Monitor"},"department_id":%s,' ..
    '"subject":"Write-path ticket %s","body":"Disk usage on db1 is above 95%% since 04:10."}',
    who, target, who)
  local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }
  return wrk.format("POST", "/api/v1/tickets", headers, body)
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
