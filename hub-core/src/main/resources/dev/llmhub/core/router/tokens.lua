-- Counts the tokens a finished call used in the current second's bucket of KEYS[1] (a hash the pick
-- script sums over the last minute). ARGV[1]: tokens.
local sec = redis.call('TIME')[1]
redis.call('HINCRBY', KEYS[1], sec, ARGV[1])
redis.call('EXPIRE', KEYS[1], 61)
return 0
