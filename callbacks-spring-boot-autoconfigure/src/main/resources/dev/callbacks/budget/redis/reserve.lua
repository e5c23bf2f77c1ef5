-- Reserves amounts in budget counters, all or none.
-- A counter is a hash with fields t:<bucket> (tokens) and u:<bucket> (nano-dollars);
-- a budget counts the buckets from <bucket> - <span> + 1 on, older ones are deleted.
-- KEYS: one counter per charge.
-- ARGV[1]: the caller's clock (epoch ms), then 8 values per charge: bucket, span,
-- expires-at (epoch ms, caller's clock), tokens, nanos, token limit, nano limit
-- (-1: none), enforce (1 or 0).
-- Returns {1, tokens1, nanos1, tokens2, nanos2, ...} (sums after the reservation), or
-- {0, i, tokens, nanos, bucket, tokens, nanos, ...} for the first charge i (1-based)
-- that does not fit: its sums and counted buckets.
local now = tonumber(ARGV[1])
local n = #KEYS
local sumsT, sumsU = {}, {}

for i = 1, n do
  local a = 1 + (i - 1) * 8
  local oldest = tonumber(ARGV[a + 1]) - tonumber(ARGV[a + 2]) + 1
  local fields = redis.call('HGETALL', KEYS[i])
  local t, u = 0, 0
  local stale = {}
  for j = 1, #fields, 2 do
    local f = fields[j]
    if tonumber(string.sub(f, 3)) < oldest then
      stale[#stale + 1] = f
    elseif string.sub(f, 1, 1) == 't' then
      t = t + tonumber(fields[j + 1])
    else
      u = u + tonumber(fields[j + 1])
    end
  end
  if #stale > 0 then
    redis.call('HDEL', KEYS[i], unpack(stale))
  end
  sumsT[i], sumsU[i] = t, u
  local limitT, limitU = tonumber(ARGV[a + 6]), tonumber(ARGV[a + 7])
  if ARGV[a + 8] == '1' and ((limitT >= 0 and t + tonumber(ARGV[a + 4]) > limitT)
      or (limitU >= 0 and u + tonumber(ARGV[a + 5]) > limitU)) then
    local denied = {0, i, t, u}
    local byBucket, order = {}, {}
    for j = 1, #fields, 2 do
      local f = fields[j]
      local b = tonumber(string.sub(f, 3))
      if b >= oldest then
        if byBucket[b] == nil then
          byBucket[b] = {0, 0}
          order[#order + 1] = b
        end
        if string.sub(f, 1, 1) == 't' then
          byBucket[b][1] = tonumber(fields[j + 1])
        else
          byBucket[b][2] = tonumber(fields[j + 1])
        end
      end
    end
    table.sort(order)
    for _, b in ipairs(order) do
      denied[#denied + 1] = b
      denied[#denied + 1] = byBucket[b][1]
      denied[#denied + 1] = byBucket[b][2]
    end
    return denied
  end
end

local result = {1}
for i = 1, n do
  local a = 1 + (i - 1) * 8
  local bucket = ARGV[a + 1]
  redis.call('HINCRBY', KEYS[i], 't:' .. bucket, ARGV[a + 4])
  redis.call('HINCRBY', KEYS[i], 'u:' .. bucket, ARGV[a + 5])
  -- Relative to the caller's clock, so that the server's clock does not matter; never
  -- shortened, since another bucket of the counter may count for longer.
  local ttl = tonumber(ARGV[a + 3]) - now
  if ttl > 0 and redis.call('PTTL', KEYS[i]) < ttl then
    redis.call('PEXPIRE', KEYS[i], ttl)
  end
  result[#result + 1] = sumsT[i] + tonumber(ARGV[a + 4])
  result[#result + 1] = sumsU[i] + tonumber(ARGV[a + 5])
end
return result
