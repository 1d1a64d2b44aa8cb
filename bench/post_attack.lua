-- wrk: POST a new headache for the bench's own patient, each in a time slot no other request
-- uses (so each is a real new row, never refused as overlapping). A response other than the
-- redirect after saving counts as not saved. COOKIE and CSRF come from bench/run.py.
local cookie = os.getenv("BENCH_COOKIE")
local csrf = os.getenv("BENCH_CSRF")
local threads = {}
local next_id = 0

setup = function(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local counter = 0
local offset = tonumber(os.getenv("BENCH_ROUND") or "0") * 6000  -- each round its own slots
not_saved = 0

request = function()
  local n = offset + counter * 2 + id  -- two wrk threads: even and odd slots
  counter = counter + 1
  local days_ago = 1 + n % 900
  local minutes = 6 * 60 + math.floor(n / 900) * 40  -- 30-minute headaches, 40 minutes apart
  local date = os.date("!%Y-%m-%d", os.time() - days_ago * 86400)
  local time = string.format("%02d:%02d", math.floor(minutes / 60), minutes % 60)
  local body = "csrfmiddlewaretoken=" .. csrf .. "&when=other&start_date=" .. date .. "&start_time=" .. time
    .. "&duration_choice=exact&duration_minutes=30&severity=" .. (1 + n % 3) .. "&nausea=on&notes=bench+" .. n
  return wrk.format("POST", "/diary/headaches/new/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
    ["Referer"] = "http://127.0.0.1:8001/diary/headaches/new/",
  }, body)
end

response = function(status, headers, body)
  if status ~= 302 then
    not_saved = not_saved + 1
  end
end

done = function(summary, latency, requests)
  local refused = 0
  for _, thread in ipairs(threads) do
    refused = refused + thread:get("not_saved")
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
                 + summary.errors.timeout + summary.errors.status
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "errors": %d, "non_2xx_3xx": %d, "not_saved": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors, summary.errors.status, refused))
end
