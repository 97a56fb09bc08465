-- wrk script of bench/pages.py: counts responses other than 200 (wrk itself counts only
-- statuses above 399, so a redirect to the sign-in page would pass unseen) and prints, at the
-- end, one line the benchmark parses:
--   BENCH_JSON {"requests":...,"duration_us":...,"p50_us":...,"p95_us":...,...}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non200 = 0
  first_status = 0
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    if first_status == 0 then
      first_status = status
    end
  end
end

function done(summary, latency, requests)
  local bad, first = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non200")
    local status = thread:get("first_status")
    if first == 0 and status ~= 0 then
      first = status
    end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"p50_us":%d,"p75_us":%d,"p90_us":%d,"p95_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"mean_us":%.1f,"non200":%d,"first_bad_status":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(75), latency:percentile(90),
    latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean, bad, first,
    e.connect, e.read, e.write, e.status, e.timeout))
end
