-- wrk script for the write path: each connection opens tickets as a person does, over and over:
-- GET the form (which sets the CSRF cookie and carries the token), then POST it filled in.
--
--   wrk -t8 -c8 -d20s -s open_tickets.lua http://127.0.0.1:PORT -- KIND FORM_PATH CHOICE [SESSION...]
--
-- KIND is "portal" (CHOICE: the help topic's id) or "staff" (CHOICE: the department's id, then one
-- signed-in session id per thread). One connection per thread, so each thread's state is one person's.
-- done() prints one JSON line: tickets opened, failures, and every GET and POST latency in microseconds.

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
  kind, form_path, choice = args[1], args[2], args[3]
  cookies = {}
  if kind == "staff" then
    cookies["sessionid"] = args[3 + id]
  end
  state, sent, started, token, form_token = "get", 0, 0, nil, nil
  opened, refused, broken_forms = 0, 0, 0
  get_us, post_us, statuses = {}, {}, {}
end

local function cookie_header()
  local parts = {}
  for name, value in pairs(cookies) do
    table.insert(parts, name .. "=" .. value)
  end
  return table.concat(parts, "; ")
end

local function remember_cookies(headers)
  -- wrk keeps one value per header name; the CSRF cookie is the one a form page sets.
  local set = headers["Set-Cookie"] or headers["set-cookie"]
  if set then
    local name, value = set:match("^([^=]+)=([^;]*)")
    if name then
      cookies[name] = value
    end
  end
end

local BOUNDARY = "----helplinebench7MA4YWxkTrZu0gW"

local function multipart(fields)
  local parts = {}
  for _, field in ipairs(fields) do
    table.insert(parts, "--" .. BOUNDARY .. "\r\nContent-Disposition: form-data; name=\"" .. field[1] ..
      "\"\r\n\r\n" .. field[2] .. "\r\n")
  end
  table.insert(parts, "--" .. BOUNDARY .. "--\r\n")
  return table.concat(parts)
end

local function form_fields(n)
  local who = string.format("t%d-%d-%d", id, n, math.random(1e9))
  local subject = "Write-path ticket " .. who
  local message = "The printer on the second floor shows error 41 again since this morning."
  if kind == "portal" then
    return {
      { "csrfmiddlewaretoken", token }, { "name", "Bench Person " .. who },
      { "email", "bench-portal-" .. who .. "@example.test" }, { "phone", "" },
      { "topic", choice }, { "subject", subject }, { "message", message }, { "website", "" },
      { "form_token", form_token },
    }
  end
  -- The staff form, for an existing requester (one of the seeded ones), as after a phone call.
  return {
    { "csrfmiddlewaretoken", token }, { "email", "bench-requester-" .. math.random(0, 999) .. "@example.test" },
    { "name", "" }, { "phone", "" }, { "topic", "" }, { "department", choice }, { "source", "phone" },
    { "priority", "" }, { "subject", subject }, { "body", message }, { "cc", "" },
  }
end

function request()
  started = now_us()
  local headers = { ["Cookie"] = cookie_header() }
  if state == "get" then
    return wrk.format("GET", form_path, headers)
  end
  sent = sent + 1
  headers["Content-Type"] = "multipart/form-data; boundary=" .. BOUNDARY
  return wrk.format("POST", form_path, headers, multipart(form_fields(sent)))
end

function response(status, headers, body)
  local elapsed = now_us() - started
  remember_cookies(headers)
  statuses[tostring(status)] = (statuses[tostring(status)] or 0) + 1
  if state == "get" then
    table.insert(get_us, elapsed)
    token = body and body:match('name="csrfmiddlewaretoken" value="([^"]+)"')
    -- The portal's form carries a one-time token too: each ticket is one form shown and sent.
    form_token = body and body:match('name="form_token" value="([^"]+)"')
    if status == 200 and token and (kind ~= "portal" or form_token) then
      state = "post"
    else
      broken_forms = broken_forms + 1
    end
    return
  end
  table.insert(post_us, elapsed)
  if status == 302 then
    opened = opened + 1
  else
    refused = refused + 1
  end
  state = "get"
end

local function json_list(values)
  local out = {}
  for i, v in ipairs(values) do
    out[i] = string.format("%.0f", v)
  end
  return "[" .. table.concat(out, ",") .. "]"
end

function done(summary, latency, requests)
  local opened_all, refused_all, broken_all = 0, 0, 0
  local gets, posts, codes = {}, {}, {}
  for _, thread in ipairs(threads) do
    opened_all = opened_all + thread:get("opened")
    refused_all = refused_all + thread:get("refused")
    broken_all = broken_all + thread:get("broken_forms")
    for _, v in ipairs(thread:get("get_us")) do table.insert(gets, v) end
    for _, v in ipairs(thread:get("post_us")) do table.insert(posts, v) end
    for code, count in pairs(thread:get("statuses")) do codes[code] = (codes[code] or 0) + count end
  end
  local code_parts = {}
  for code, count in pairs(codes) do
    table.insert(code_parts, string.format('"%s":%d', code, count))
  end
  io.write(string.format(
    '{"duration_us":%d,"requests":%d,"opened":%d,"refused":%d,"broken_forms":%d,' ..
    '"socket_errors":%d,"statuses":{%s},"get_us":%s,"post_us":%s}\n',
    summary.duration, summary.requests, opened_all, refused_all, broken_all,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    table.concat(code_parts, ","), json_list(gets), json_list(posts)))
end
