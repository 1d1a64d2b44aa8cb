-- wrk: POST a new headache with a different start each time (so each is a real new row).
-- COOKIE and CSRF come from the environment, set by bench/run.py.
local cookie = os.getenv("BENCH_COOKIE")
local csrf = os.getenv("BENCH_CSRF")
local counter = 0

request = function()
  counter = counter + 1
  local days_ago = math.random(1, 900)
  local t = os.time() - days_ago * 86400
  local date = os.date("!%Y-%m-%d", t)
  local time = string.format("%02d:%02d", math.random(6, 21), math.random(0, 59))
  local body = "csrfmiddlewaretoken=" .. csrf .. "&when=other&start_date=" .. date .. "&start_time=" .. time
    .. "&duration_choice=exact&duration_minutes=" .. math.random(30, 600) .. "&severity=" .. math.random(1, 3)
    .. "&nausea=on&notes=bench+" .. counter
  return wrk.format("POST", "/diary/headaches/new/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
    ["Referer"] = "http://127.0.0.1:8001/diary/headaches/new/",
  }, body)
end

-- The same one-line JSON report as every other page.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")
