-- Picks the first deployment of a model group, in the caller's order, that is not cooling down and
-- whose rpm and tpm windows have room, and takes one request slot on it: one round trip per pick,
-- atomic across every replica. The clock is Redis' own, so replicas need not agree on the time.
--
-- KEYS, three per candidate: requests (sorted set: one member per request, scored by its time in ms),
--   tokens (hash: second -> tokens counted in it), cooldown (string that exists while cooling down).
-- ARGV[1]: a member name unique to this pick; then per candidate: rpm, tpm (-1 when unlimited).
-- Returns {chosen (1-based, 0 when none), ms until the first slot frees, 1 when every candidate is
-- cooling down}.
local t = redis.call('TIME')
local sec = tonumber(t[1])
local now = sec * 1000 + math.floor(tonumber(t[2]) / 1000)
local n = #KEYS / 3
local soonest = -1
local cooling = 0
for i = 1, n do
  local requests, tokens, cooldown = KEYS[3 * i - 2], KEYS[3 * i - 1], KEYS[3 * i]
  local rpm, tpm = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local wait = redis.call('PTTL', cooldown)
  if wait > 0 then
    cooling = cooling + 1
  else
    wait = 0
    if rpm >= 0 then
      redis.call('ZREMRANGEBYSCORE', requests, '-inf', now - 60000)
      if redis.call('ZCARD', requests) >= rpm then
        local oldest = redis.call('ZRANGE', requests, 0, 0, 'WITHSCORES')
        wait = math.max(1, tonumber(oldest[2]) + 60000 - now)
      end
    end
    if tpm >= 0 then
      local buckets = redis.call('HGETALL', tokens)
      local sum, first = 0, nil
      for j = 1, #buckets, 2 do
        local s = tonumber(buckets[j])
        if s <= sec - 60 then
          redis.call('HDEL', tokens, buckets[j])
        else
          sum = sum + tonumber(buckets[j + 1])
          if first == nil or s < first then first = s end
        end
      end
      if sum >= tpm then
        wait = math.max(wait, 1, (first + 60) * 1000 - now)
      end
    end
    if wait == 0 then
      if rpm >= 0 then
        redis.call('ZADD', requests, now, ARGV[1])
        redis.call('PEXPIRE', requests, 60000)
      end
      return {i, 0, 0}
    end
  end
  if soonest < 0 or wait < soonest then soonest = wait end
end
return {0, soonest, (cooling == n) and 1 or 0}
