-- bench/load/acopio.lua — wrk script of bench_load.sh: every request is the
-- acopio of a distinct acta (a durable write with its bitácora entry),
-- read from the file $PATHS (one path a line); thread i of n takes every
-- n-th path from i, so no acta is written twice. Reports p50/p99 in ms.
local paths, nthreads, tid = {}, tonumber(os.getenv("THREADS") or "1"), 0
for l in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = l end
function setup(thread) thread:set("id", tid); tid = tid + 1 end
local i
function init(args) i = id + 1 end
function request()
  local p = paths[i] or paths[#paths]   -- past the end: a repeat (a no-op), never expected
  i = i + nthreads
  return wrk.format("POST", p, { ["Authorization"] = "Bearer " .. os.getenv("TOKEN"),
                                 ["Content-Length"] = "0" }, "")
end
function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors=%d non2xx=%d p50_ms=%.2f p99_ms=%.2f seconds=%.2f\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.duration / 1e6))
end
