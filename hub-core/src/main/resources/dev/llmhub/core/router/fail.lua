-- Counts one failure of a deployment; past ARGV[1] failures within a minute (counted from the first),
-- cools it down for ARGV[2] ms. KEYS[1]: the failure counter, KEYS[2]: the cooldown flag.
-- Returns 1 when this failure started a cooldown.
local fails = redis.call('INCR', KEYS[1])
if fails == 1 then
  redis.call('PEXPIRE', KEYS[1], 60000)
end
if fails > tonumber(ARGV[1]) and tonumber(ARGV[2]) > 0 then
  redis.call('SET', KEYS[2], fails, 'PX', ARGV[2])
  return 1
end
return 0
