-- sysbench 1.0 script: racelab's hot-row increment on MariaDB/MySQL, the same statements.
--   sysbench bench/hot-row-sysbench.lua --db-driver=mysql ... --hot-strategy=atomic|pessimistic run
-- One event = one increment. The table and the row (--hot-key) must exist (bench/hot-row.sh makes them).
sysbench.cmdline.options = {
  hot_strategy = {"atomic (UPDATE v = v + 1) or pessimistic (SELECT ... FOR UPDATE, UPDATE, COMMIT)", "atomic"},
  hot_key = {"key of the hot row in racelab_cell", "bench/hot-row"},
}

local key, pessimistic, add_sql, select_sql, write_fmt

function thread_init()
  drv = sysbench.sql.driver()
  con = drv:connect()
  con:query("SET SESSION innodb_lock_wait_timeout = 30")
  local k = sysbench.opt.hot_key
  if k:find("['\\]") then error("--hot-key must not contain quotes or backslashes: " .. k) end
  key = "'" .. k .. "'"
  local s = sysbench.opt.hot_strategy
  if s ~= "atomic" and s ~= "pessimistic" then error("--hot-strategy must be atomic or pessimistic, was " .. s) end
  pessimistic = s == "pessimistic"
  add_sql = "UPDATE racelab_cell SET v = v + 1, version = version + 1 WHERE k = " .. key
  select_sql = "SELECT v, version FROM racelab_cell WHERE k = " .. key .. " FOR UPDATE"
  write_fmt = "UPDATE racelab_cell SET v = %s, version = version + 1 WHERE k = " .. key
end

function thread_done()
  con:disconnect()
end

function event()
  if not pessimistic then
    con:query(add_sql)
    return
  end
  con:query("BEGIN")
  local rs = con:query(select_sql)
  local row = rs:fetch_row()
  if row == nil then error("no row " .. key .. " in racelab_cell") end
  local v = tonumber(row[1])
  rs:free()
  con:query(string.format(write_fmt, string.format("%d", v + 1)))
  con:query("COMMIT")
end
