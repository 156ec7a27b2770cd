-- The load of bench/load.mjs for wrk (Debian's package `wrk`), a load generator in C:
-- the same calls with the same varied arguments, each connection a client calling again
-- as soon as its answer arrives. wrk costs a small part of the CPU that Node.js's fetch
-- does per call, so on a machine whose cores the generator shares with the server it
-- leaves more of them to the server. bench/wrk-load.sh signs in and runs it:
--
--   bench/wrk-load.sh --url http://127.0.0.1:3020 --clients 100 --seconds 60 [--mix 60,30,10[,U]] [--search 0.25]
--
-- Arguments after wrk's `--`: the session cookie, the mix (L,D,C[,U] percentages) and
-- the share of list calls that search.

local cookie, mix, search_share
local shares = {}
local countries = { "DE", "LT", "LV", "PL", "FR", "KZ", "UZ", "AM", "GE", "FI", "RU", "US" }
local statuses = { "null", '"Open"', '"Overdue"', '{"Is":"refused"}', '{"Is":"fulfilled"}' }
local periods = { '{"Months":12}', '{"Months":18}', '{"Months":24}', '"All"', '{"Year":2025}' }
local terms = { "2025", "müller", "FI-", "extradition" }
local today = os.date("!%Y-%m-%d")
local n = 0
local tag

local function pick(xs)
  return xs[math.random(#xs)]
end

local function quoted(v)
  if v == nil then return "null" end
  return '"' .. v .. '"'
end

local function maybe(xs, nulls)
  local i = math.random(#xs + nulls)
  if i > #xs then return "null" end
  return quoted(xs[i])
end

-- each thread's creations carry a reference of their own (the run's start, the thread):
-- a reference used by an earlier run would be refused as taken
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", os.time() .. "t" .. threads)
end

function init(args)
  cookie = args[1]
  mix = args[2] or "60,30,10"
  search_share = tonumber(args[3] or "0.25")
  for x in string.gmatch(mix, "[^,]+") do
    shares[#shares + 1] = tonumber(x) / 100
  end
  if #shares < 3 then shares[3] = 1 - shares[1] - shares[2] end
  math.randomseed(os.time() * 100 + #id + string.byte(id, #id))
  tag = "wrk" .. id
end

local function call(endpoint, body)
  return wrk.format("POST", "/api/" .. endpoint, {
    ["content-type"] = "application/json",
    ["accept"] = "application/json",
    ["cookie"] = cookie,
  }, body)
end

local function list()
  local q = "null"
  if math.random() < search_share then q = quoted(pick(terms)) end
  local filter = '{"direction":' .. maybe({ "outgoing", "incoming" }, 1)
    .. ',"country":' .. maybe(countries, 2)
    .. ',"status":' .. pick(statuses)
    .. ',"kind":null,"offence":' .. maybe({ "fraud", "corruption" }, 1)
    .. ',"case_id":null,"from":null,"to":null,"q":' .. q
    .. ',"legal_basis":null,"group_id":null}'
  local sort = pick({ "Start", "Due", "Country" })
  return call("list_requests", '{"params":{"filter":' .. filter .. ',"sort":"' .. sort .. '","desc":true,"after":null,"before":null}}')
end

local function dashboard()
  local kinds = { "null", "null", '"extradition"' }
  local params = '{"direction":"' .. pick({ "outgoing", "incoming" }) .. '","period":' .. pick(periods)
    .. ',"from":null,"to":null,"country":' .. maybe(countries, 3)
    .. ',"kind":' .. pick(kinds) .. ',"offence":null,"case_id":null,"legal_basis":null,"group_id":null,'
    .. '"order":"Volume","map_response":false}'
  return call("dashboard", '{"params":' .. params .. '}')
end

local function create()
  n = n + 1
  local input = '{"reference":"LOADMIX-' .. tag .. '-' .. n .. '","their_reference":"","direction":"outgoing",'
    .. '"country":"' .. pick(countries) .. '","counterpart_authority":"","kind":"evidence",'
    .. '"legal_basis":"european_mla_1959","legal_basis_note":"","offence":"fraud","case_number":"",'
    .. '"case_title":"","summary":"Load test","urgent":false,"start_date":"' .. today .. '","due_on":"",'
    .. '"status":"sent","answered_on":"","refusal_ground":"","refusal_note":""}'
  return call("create_request", '{"input":' .. input .. '}')
end

function request()
  local r = math.random()
  if r < shares[1] then return list() end
  if r < shares[1] + shares[2] then return dashboard() end
  if r < shares[1] + shares[2] + shares[3] then return create() end
  return call("current_user", "{}")
end
