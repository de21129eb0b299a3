-- wrk script for bench/http-spread.sh: POST {"amount": 10} to a random one of ACCOUNTS accounts
-- per request. SPREAD_PATH is the route with {id} where the account goes, e.g.
-- "/accounts/{id}/deposits?strategy=atomic" (racelab serve) or "/deposit-atomic/{id}" (seed 003).
local path = os.getenv("SPREAD_PATH") or "/accounts/{id}/deposits?strategy=atomic"
local accounts = tonumber(os.getenv("ACCOUNTS") or "100")
local body = '{"amount": 10}'
local headers = { ["Content-Type"] = "application/json" }
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + (seed or 0))
end

function request()
  local id = math.random(1, accounts)
  return wrk.format("POST", (path:gsub("{id}", tostring(id))), headers, body)
end
