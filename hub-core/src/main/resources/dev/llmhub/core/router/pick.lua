-- Picks the first deployment of a model group, in the caller's order, that is not cooling down and
-- whose rpm and tpm windows have room, and takes one request slot on it: one round trip, atomic across
-- every replica. The clock is Redis' own, so replicas need not agree on the time. Replicas run this only
-- near a limit (or before their first settle, settle.lua): a request slot is free when the window's
-- requests and the slots leased to replicas (which they fill without asking, this one's included: its
-- lease covers its requests not yet settled) leave room.
--
-- KEYS, four per candidate: requests (sorted set: one member per request, scored by its time in ms),
--   tokens (hash: second -> tokens counted in it), cooldown (string that exists while cooling down),
--   leases (hash: replica -> "slots:expires_ms").
-- ARGV[1]: a member name unique to this pick; then per candidate: rpm, tpm (-1 when unlimited).
-- Returns {chosen (1-based, 0 when none), ms until the first slot frees, 1 when every candidate is
-- cooling down}.
local t = redis.call('TIME')
local sec = tonumber(t[1])
local now = sec * 1000 + math.floor(tonumber(t[2]) / 1000)
local n = #KEYS / 4
local soonest = -1
local cooling = 0

-- slots leased to replicas, dropping expired leases
local function leased(key)
  local all = redis.call('HGETALL', key)
  local sum = 0
  for j = 1, #all, 2 do
    local slots, expires = string.match(all[j + 1], '^(%d+):(%d+)$')
    if tonumber(expires) <= now then
      redis.call('HDEL', key, all[j])
    else
      sum = sum + tonumber(slots)
    end
  end
  return sum
end

for i = 1, n do
  local requests, tokens, cooldown, leases = KEYS[4 * i - 3], KEYS[4 * i - 2], KEYS[4 * i - 1], KEYS[4 * i]
  local rpm, tpm = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local wait = redis.call('PTTL', cooldown)
  if wait > 0 then
    cooling = cooling + 1
  else
    wait = 0
    if rpm >= 0 then
      redis.call('ZREMRANGEBYSCORE', requests, '-inf', now - 60000)
      if redis.call('ZCARD', requests) + leased(leases) >= rpm then
        local oldest = redis.call('ZRANGE', requests, 0, 0, 'WITHSCORES')
        wait = oldest[2] and math.max(1, tonumber(oldest[2]) + 60000 - now) or 1000
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
