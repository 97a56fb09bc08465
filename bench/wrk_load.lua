-- wrk script of bench/load.py: the users of one role at work. Run with as many threads as
-- connections (one connection per thread, so each response follows its own request):
--   wrk -t N -c N -d 60s -s wrk_load.lua URL -- PLAN N RUN_ID ROLE_NO
-- PLAN is a Lua file written by load.py:
--   { kinds = { "caseload", ... }, users = { { cookie = "...", steps = { ... } }, ... } }
-- each step { k (its kind's number), method, path, status, [location], [body], [fetch] }.
-- Thread i takes users i, i + N, i + 2N, ... and goes through them in turn, each through its
-- steps in order. A post's body has "{token}" (this post's id: "<thread>.<n>") and "{uuid}"
-- (a client id made of RUN_ID, the thread, ROLE_NO and n) filled in, so that load.py finds
-- each saved post again. A response is as expected when its status is the step's (and a
-- redirect goes to the step's location); the ids of the posts answered as expected are kept.
-- What done() reads from the threads is numbers and strings only: wrk 4.1's thread:get
-- crashes now and then copying tables. At the end it prints one line load.py parses:
--   BENCH_JSON {"requests":...,"kinds":{...},"saved":{...},"percentiles":[[p, us], ...]}
local threads = {}
local thread_count = 0
local CHUNK = 500 -- saved ids per string

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_no", thread_count)
  table.insert(threads, thread)
end

function init(args)
  local plan = dofile(args[1])
  local nthreads = tonumber(args[2])
  run_id = args[3]
  role_no = tonumber(args[4])
  kind_list = table.concat(plan.kinds, "\n")
  names = {}
  for k = 1, #plan.kinds do
    names[k] = { sent = "sent_" .. k, ok = "ok_" .. k, bad = "bad_" .. k }
    _G[names[k].sent], _G[names[k].ok], _G[names[k].bad] = 0, 0, 0
  end
  users = {}
  for i, user in ipairs(plan.users) do
    if (i - 1) % nthreads == thread_no - 1 then
      users[#users + 1] = user
    end
  end
  if #users == 0 then -- more threads than users (load.py avoids it): share one
    users[1] = plan.users[(thread_no - 1) % #plan.users + 1]
  end
  for _, user in ipairs(users) do
    for _, step in ipairs(user.steps) do
      if step.body == nil then
        step.request = wrk.format(step.method, step.path, { Cookie = user.cookie })
      end
    end
  end
  user_no, step_no, seq = 1, 0, 0
  current, current_token = nil, nil
  bad_statuses = {} -- k -> { [status] = n }, shown as the string statuses_<k>
  saved_chunks, saved_tail, saved_in_tail = 0, "", 0
end

function request()
  step_no = step_no + 1
  local user = users[user_no]
  if step_no > #user.steps then
    step_no = 1
    user_no = user_no % #users + 1
    user = users[user_no]
  end
  local step = user.steps[step_no]
  current = step
  local name = names[step.k].sent
  _G[name] = _G[name] + 1
  if step.body == nil then
    current_token = nil
    return step.request
  end
  seq = seq + 1
  current_token = string.format("%d.%d", thread_no, seq)
  local uuid = string.format("%s-%04x-4%03x-8000-%012x", run_id, thread_no, role_no, seq)
  local body = step.body:gsub("{token}", current_token):gsub("{uuid}", uuid)
  local headers = { Cookie = user.cookie, ["Content-Type"] = "application/x-www-form-urlencoded" }
  if step.fetch then
    headers["X-Requested-With"] = "fetch"
    headers["Accept"] = "application/json"
  end
  return wrk.format(step.method, step.path, headers, body)
end

local function keep_saved(k, token)
  saved_tail = saved_tail .. k .. ":" .. token .. " "
  saved_in_tail = saved_in_tail + 1
  if saved_in_tail == CHUNK then
    saved_chunks = saved_chunks + 1
    _G["saved_chunk_" .. saved_chunks] = saved_tail
    saved_tail, saved_in_tail = "", 0
  end
end

function response(status, headers, body)
  local step = current
  if step == nil then
    return
  end
  current = nil
  local k = step.k
  local expected = status == step.status
  local location = headers["Location"] or headers["location"] or ""
  if expected and step.location then
    expected = location:sub(1, #step.location) == step.location
  end
  if expected then
    _G[names[k].ok] = _G[names[k].ok] + 1
    if current_token then
      keep_saved(k, current_token)
    end
    return
  end
  _G[names[k].bad] = _G[names[k].bad] + 1
  local counts = bad_statuses[k] or {}
  bad_statuses[k] = counts
  counts[status] = (counts[status] or 0) + 1
  local parts = {}
  for code, n in pairs(counts) do
    parts[#parts + 1] = code .. "=" .. n
  end
  _G["statuses_" .. k] = table.concat(parts, ",")
  if _G["first_bad_" .. k] == nil then
    _G["first_bad_" .. k] = string.format("%d %s %s", status, step.path, location)
  end
end

local function encode(value)
  local kind = type(value)
  if kind == "table" then
    local parts = {}
    if value[1] ~= nil then
      for _, item in ipairs(value) do
        parts[#parts + 1] = encode(item)
      end
      return "[" .. table.concat(parts, ",") .. "]"
    end
    for key, item in pairs(value) do
      parts[#parts + 1] = encode(tostring(key)) .. ":" .. encode(item)
    end
    return "{" .. table.concat(parts, ",") .. "}"
  elseif kind == "string" then
    return '"' .. value:gsub('[%c"\\]', function(c)
      return string.format("\\u%04x", c:byte())
    end) .. '"'
  elseif kind == "number" then
    return string.format("%.17g", value)
  end
  return "null"
end

-- The latency distribution as percentiles, fine near the tail, so that load.py can merge the
-- roles' distributions into the overall one.
local function percentile_grid()
  local grid = {}
  for p = 1, 90 do
    grid[#grid + 1] = p
  end
  for i = 1, 90 do
    grid[#grid + 1] = 90 + i / 10
  end
  for i = 1, 9 do
    grid[#grid + 1] = 99 + i / 10
  end
  grid[#grid + 1] = 99.95
  grid[#grid + 1] = 99.99
  return grid -- and 100: the maximum (wrk's percentile(100) gives 0)
end

local function words(text, separator)
  local list = {}
  for word in string.gmatch(text, "[^" .. separator .. "]+") do
    list[#list + 1] = word
  end
  return list
end

function done(summary, latency, requests)
  local kinds, saved = {}, {}
  for _, thread in ipairs(threads) do
    local kind_names = words(thread:get("kind_list"), "\n")
    for k, kind in ipairs(kind_names) do
      local totals = kinds[kind] or { sent = 0, ok = 0, bad = 0, statuses = {} }
      kinds[kind] = totals
      totals.sent = totals.sent + thread:get("sent_" .. k)
      totals.ok = totals.ok + thread:get("ok_" .. k)
      totals.bad = totals.bad + thread:get("bad_" .. k)
      for _, pair in ipairs(words(thread:get("statuses_" .. k) or "", ",")) do
        local code, n = pair:match("^(%d+)=(%d+)$")
        totals.statuses[code] = (totals.statuses[code] or 0) + tonumber(n)
      end
      totals.first_bad = totals.first_bad or thread:get("first_bad_" .. k)
    end
    local texts = { thread:get("saved_tail") }
    for i = 1, thread:get("saved_chunks") do
      texts[#texts + 1] = thread:get("saved_chunk_" .. i)
    end
    for _, text in ipairs(texts) do
      for _, entry in ipairs(words(text, " ")) do
        local k, token = entry:match("^(%d+):(.+)$")
        local kind = kind_names[tonumber(k)]
        local list = saved[kind] or {}
        saved[kind] = list
        list[#list + 1] = token
      end
    end
  end
  local points = {}
  if summary.requests > 0 then
    for _, p in ipairs(percentile_grid()) do
      points[#points + 1] = { p, latency:percentile(p) }
    end
    points[#points + 1] = { 100, latency.max }
  end
  local e = summary.errors
  io.write("BENCH_JSON " .. encode({
    requests = summary.requests,
    duration_us = summary.duration,
    bytes = summary.bytes,
    max_us = latency.max,
    mean_us = latency.mean,
    errors = { connect = e.connect, read = e.read, write = e.write, status = e.status,
               timeout = e.timeout },
    kinds = kinds,
    saved = saved,
    percentiles = points,
  }) .. "\n")
end
