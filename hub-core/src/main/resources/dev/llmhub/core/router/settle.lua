-- One replica's settle of the deployments of one model group, every few ms (SharedView): adds the
-- requests it admitted on its own and the tokens its calls used since its last settle, and answers what
-- every replica counted together, with a new lease: request slots this replica may fill without asking
-- until its next settle. Leases are what keep counting exact: pick.lua counts every other replica's
-- lease as taken, so the requests admitted without a round trip never exceed the room Redis saw.
-- A lease is half the room left divided by the replicas holding one (so replicas ramping up together
-- leave room, and leases shrink to nothing near the limit, where every pick asks Redis), at least what
-- the replica may still admit while this settle is in flight (a part of its previous lease, so within
-- the room), and lives ARGV[3] ms should the replica die. Its requests after this settle count against it.
--
-- KEYS, four per deployment: requests, tokens, cooldown, leases (as in pick.lua).
-- ARGV[1]: this replica's id, ARGV[2]: a member prefix unique to this settle, ARGV[3]: lease lifetime ms;
-- then per deployment: rpm (-1 when unlimited), requests to add, tokens to add, requests it may admit
-- while this settle is in flight.
-- Returns per deployment: tokens in the window, ms of cooldown left, lease.
local t = redis.call('TIME')
local sec = tonumber(t[1])
local now = sec * 1000 + math.floor(tonumber(t[2]) / 1000)
local me, prefix, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3])
local out = {}
for i = 1, #KEYS / 4 do
  local a = 3 + 4 * (i - 1)
  local requests, tokens, cooldown, leases = KEYS[4 * i - 3], KEYS[4 * i - 2], KEYS[4 * i - 1], KEYS[4 * i]
  local rpm, add, used, flight = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]),
      tonumber(ARGV[a + 4])
  local count, lease = 0, 0
  if rpm >= 0 then
    -- ZADD in chunks: Lua's unpack has a stack limit
    local j = 1
    while j <= add do
      local members = {}
      for k = j, math.min(add, j + 499) do
        members[#members + 1] = now
        members[#members + 1] = prefix .. ':' .. i .. ':' .. k
      end
      redis.call('ZADD', requests, unpack(members))
      j = j + 500
    end
    if add > 0 then
      redis.call('PEXPIRE', requests, 60000)
    end
    redis.call('ZREMRANGEBYSCORE', requests, '-inf', now - 60000)
    count = redis.call('ZCARD', requests)
    local all = redis.call('HGETALL', leases)
    local others, holders = 0, 1
    for k = 1, #all, 2 do
      local slots, expires = string.match(all[k + 1], '^(%d+):(%d+)$')
      if tonumber(expires) <= now then
        redis.call('HDEL', leases, all[k])
      elseif all[k] ~= me then
        others = others + tonumber(slots)
        holders = holders + 1
      end
    end
    lease = math.max(flight, math.floor((rpm - count - others) / (2 * holders)))
    if lease > 0 then
      redis.call('HSET', leases, me, lease .. ':' .. (now + ttl))
      -- never shortens the hash's life: a replica with a shorter lease lifetime (another version in a
      -- rolling upgrade) must not take the others' leases with it
      if redis.call('PTTL', leases) < ttl then
        redis.call('PEXPIRE', leases, ttl)
      end
    else
      redis.call('HDEL', leases, me)
    end
  end
  if used > 0 then
    redis.call('HINCRBY', tokens, sec, used)
    redis.call('EXPIRE', tokens, 61)
  end
  local sum = 0
  local buckets = redis.call('HGETALL', tokens)
  for k = 1, #buckets, 2 do
    if tonumber(buckets[k]) > sec - 60 then
      sum = sum + tonumber(buckets[k + 1])
    end
  end
  local cool = redis.call('PTTL', cooldown)
  out[#out + 1] = sum
  out[#out + 1] = math.max(0, cool)
  out[#out + 1] = lease
end
return out
