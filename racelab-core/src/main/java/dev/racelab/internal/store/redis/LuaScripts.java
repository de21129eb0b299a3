package dev.racelab.internal.store.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The Lua scripts behind {@link RedisStore}. Redis runs a script as one step: no other
 * client's command lands between its reads and its writes, so a check and the change it
 * guards cannot be split by a concurrent writer. Each script checks everything before it
 * writes anything, because Redis does not roll back a script that fails half way.
 *
 * <p>A cell is a hash with the integer fields {@code v} and {@code version}. Scripts answer
 * with the words in {@link Result}.
 */
final class LuaScripts {
    /** The words scripts answer with. */
    static final class Result {
        static final String OK = "ok";
        static final String FLOOR = "floor";
        static final String DUPLICATE = "duplicate";
        static final String ABSENT = "absent";
        static final String FENCED = "fenced";
        /** Followed by ":" and the 1-based index of the first missing cell among the keys. */
        static final String MISSING = "missing";

        private Result() {
        }
    }

    /**
     * A blind write that bumps the version. A script, not HSET, because HSET on a missing key
     * would quietly create a cell the run never made, and the version must move with the value.
     * KEYS[1] the cell; ARGV[1] the new value.
     */
    static final LuaScript WRITE = new LuaScript("write", """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing:1' end
            redis.call('HSET', KEYS[1], 'v', ARGV[1])
            redis.call('HINCRBY', KEYS[1], 'version', 1)
            return 'ok'
            """);

    /**
     * Adds deltas to cells, none may end below the floor, and writes the guard key (or deletes
     * it, for an operation that releases its guard), all or nothing: seed 002's "check stock,
     * then decrement" made atomic, for any number of cells. Serves both a single add and a
     * guarded operation.
     * KEYS[1..n] the cells, then the guard key when ARGV[2] is not '0'.
     * ARGV[1] the floor, or '' for none; ARGV[2] '0' no guard, '1' insert it, '2' release it;
     * ARGV[3..] the deltas.
     * The floor is compared as a Lua number (exact up to 2^53); HINCRBY itself adds exactly.
     */
    static final LuaScript APPLY_CHANGES = new LuaScript("apply changes", """
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
            """);

    /**
     * A combiner's batch in one step: adds the batch's sum to one cell unless it would end
     * below the floor, and writes every guard key, all or nothing; a guard that exists, or is
     * named twice, refuses the whole batch. Answers 'ok:value:version' as the add left the cell.
     * KEYS[1] the cell, KEYS[2..] the guard keys; ARGV[1] the floor, or '' for none; ARGV[2] the sum.
     */
    static final LuaScript ADD_BATCH = new LuaScript("add batch", """
            local seen = {}
            for i = 2, #KEYS do
              if seen[KEYS[i]] or redis.call('EXISTS', KEYS[i]) == 1 then return 'duplicate' end
              seen[KEYS[i]] = true
            end
            local v = redis.call('HGET', KEYS[1], 'v')
            if not v then return 'missing:1' end
            local floor = tonumber(ARGV[1])
            if floor and tonumber(v) + tonumber(ARGV[2]) < floor then return 'floor' end
            local after = redis.call('HINCRBY', KEYS[1], 'v', ARGV[2])
            local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
            for i = 2, #KEYS do redis.call('SET', KEYS[i], '1') end
            return 'ok:' .. after .. ':' .. version
            """);

    /**
     * Takes a lease and hands out the next fence in one step, so two holders can never get
     * the same fence, and a fence is never spent on a lease that was not granted.
     * KEYS[1] the lease, KEYS[2] its fence counter; ARGV[1] the owner token, ARGV[2] the TTL in ms.
     * Answers the fence (from 1 up), or 0 when someone holds the lease.
     */
    static final LuaScript TAKE_LEASE = new LuaScript("take lease", """
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
              return redis.call('INCR', KEYS[2])
            end
            return 0
            """);

    /**
     * Deletes the lease only if the token still owns it. GET then DEL as two commands would
     * delete a lease that expired in between and went to someone else.
     * KEYS[1] the lease; ARGV[1] the owner token. Answers 1 when released, else 0.
     */
    static final LuaScript RELEASE_LEASE = new LuaScript("release lease", """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """);

    /**
     * Raises the cell's fence to ARGV[1] and answers 'ok:value:version', unless the cell has
     * accepted a higher fence ('fenced'). KEYS[1] the cell; ARGV[1] the fence.
     */
    static final LuaScript READ_FENCED = new LuaScript("fenced read", """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing:1' end
            local fence = tonumber(redis.call('HGET', KEYS[1], 'fence') or '0')
            if fence > tonumber(ARGV[1]) then return 'fenced' end
            redis.call('HSET', KEYS[1], 'fence', ARGV[1])
            local cell = redis.call('HMGET', KEYS[1], 'v', 'version')
            return 'ok:' .. cell[1] .. ':' .. cell[2]
            """);

    /**
     * A blind write with the fence checked and recorded in the same step: 'ok', or 'fenced'
     * when the cell has accepted a higher fence. KEYS[1] the cell; ARGV[1] the value, ARGV[2] the fence.
     */
    static final LuaScript WRITE_FENCED = new LuaScript("fenced write", """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing:1' end
            local fence = tonumber(redis.call('HGET', KEYS[1], 'fence') or '0')
            if fence > tonumber(ARGV[2]) then return 'fenced' end
            redis.call('HSET', KEYS[1], 'v', ARGV[1], 'fence', ARGV[2])
            redis.call('HINCRBY', KEYS[1], 'version', 1)
            return 'ok'
            """);

    static final List<LuaScript> ALL = List.of(WRITE, APPLY_CHANGES, ADD_BATCH, TAKE_LEASE, RELEASE_LEASE, READ_FENCED, WRITE_FENCED);

    private LuaScripts() {
    }

    /** A script run by its SHA-1 (EVALSHA), so its text crosses the network once per server. */
    record LuaScript(String name, String text, String sha) {
        LuaScript(String name, String text) {
            this(name, text, sha1(text));
        }

        /** Loads the script into the server's script cache (SCRIPT LOAD); a syntax error fails here. */
        void load(RedisCommands<String, String> commands) {
            commands.scriptLoad(text);
        }

        /**
         * Runs the script with an answer of {@code type} (a string or an integer), batched with
         * other callers' commands; loads it again when the server lost it (a restart, SCRIPT FLUSH).
         */
        <T> T run(ScriptCalls calls, Class<T> type, String[] keys, String... args) {
            try {
                return calls.evalsha(sha, type, keys, args);
            } catch (RedisNoScriptException e) {
                calls.scriptLoad(text);
                return calls.evalsha(sha, type, keys, args);
            }
        }

        private static String sha1(String text) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-1", e);
            }
        }
    }
}
