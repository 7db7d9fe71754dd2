-- bench/load/site.lua — wrk script of bench_load.sh for the flood: GET the
-- public site's front page (path $SITE_PATH), and print requests/s.
local path = os.getenv("SITE_PATH")
function request() return wrk.format("GET", path) end
function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d non2xx=%d rps=%.0f p99_ms=%.2f\n", summary.requests,
    summary.errors.status, summary.requests / (summary.duration / 1e6), latency:percentile(99) / 1000))
end
