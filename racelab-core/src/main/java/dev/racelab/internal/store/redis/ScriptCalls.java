package dev.racelab.internal.store.redis;

/**
 * Where {@link LuaScripts} sends its script calls, the hot path: over Lettuce
 * ({@link CommandBatcher}), or over racelab's own RESP client ({@link RespScriptCalls}) when the
 * store's address is one plain server. Either way a call that fails throws a Lettuce
 * {@link io.lettuce.core.RedisException} of the kind {@link RedisStore} classifies: an error
 * reply ({@link io.lettuce.core.RedisCommandExecutionException}; NOSCRIPT as
 * {@link io.lettuce.core.RedisNoScriptException}) or a command never sent
 * ({@link io.lettuce.core.RedisConnectionException}) never ran; anything else may have.
 */
interface ScriptCalls extends AutoCloseable {
    /** EVALSHA {@code sha} with an answer of {@code type} (a String or a Long); null for a nil answer. */
    <T> T evalsha(String sha, Class<T> type, String[] keys, String[] args);

    /** SCRIPT LOAD, so that the next EVALSHA of the script finds it. */
    void scriptLoad(String text);

    /** Fails the calls still waiting and stops the threads behind them. */
    @Override
    void close();
}
