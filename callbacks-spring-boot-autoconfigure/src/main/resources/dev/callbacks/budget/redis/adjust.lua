-- Adds corrections to buckets that still exist (a bucket gone has stopped counting).
-- KEYS: one counter per charge.
-- ARGV: 4 values per charge: bucket, span, tokens, nanos (may be negative).
-- Returns {tokens1, nanos1, tokens2, nanos2, ...}: the counted sums afterwards.
local result = {}
for i = 1, #KEYS do
  local a = (i - 1) * 4
  local bucket = ARGV[a + 1]
  if redis.call('HEXISTS', KEYS[i], 't:' .. bucket) == 1 then
    redis.call('HINCRBY', KEYS[i], 't:' .. bucket, ARGV[a + 3])
    redis.call('HINCRBY', KEYS[i], 'u:' .. bucket, ARGV[a + 4])
  end
  local oldest = tonumber(bucket) - tonumber(ARGV[a + 2]) + 1
  local fields = redis.call('HGETALL', KEYS[i])
  local t, u = 0, 0
  for j = 1, #fields, 2 do
    local f = fields[j]
    if tonumber(string.sub(f, 3)) >= oldest then
      if string.sub(f, 1, 1) == 't' then
        t = t + tonumber(fields[j + 1])
      else
        u = u + tonumber(fields[j + 1])
      end
    end
  end
  result[#result + 1] = t
  result[#result + 1] = u
end
return result
