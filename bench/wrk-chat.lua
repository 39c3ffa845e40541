-- wrk script for the bench scripts: POSTs the seed's chat request (one short user message), with
-- "Authorization: Bearer $BENCH_KEY" when that variable is set.
wrk.method = "POST"
wrk.body = '{"model":"bench","messages":[{"role":"user","content":"good morning good sir"}]}'
wrk.headers["Content-Type"] = "application/json"
local key = os.getenv("BENCH_KEY")
if key ~= nil and key ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. key
end
