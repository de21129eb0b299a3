local guard = ARGV[2]
local cells = #KEYS
if guard ~= '0' then
  cells = cells - 1
  local exists = redis.call('EXISTS', KEYS[#KEYS]) == 1
  if guard == '1' and exists then return 'duplicate' end
  if guard == '2' and not exists then return 'absent' end
end
local floor = tonumber(ARGV[1])
for i = 1, cells do
  local v = redis.call('HGET', KEYS[i], 'v')
  if not v then return 'missing:' .. i end
  if floor and tonumber(v) + tonumber(ARGV[i + 2]) < floor then return 'floor' end
end
for i = 1, cells do
  redis.call('HINCRBY', KEYS[i], 'v', ARGV[i + 2])
  redis.call('HINCRBY', KEYS[i], 'version', 1)
end
if guard == '1' then redis.call('SET', KEYS[#KEYS], '1') end
if guard == '2' then redis.call('DEL', KEYS[#KEYS]) end
return 'ok'
