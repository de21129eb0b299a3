package dev.racelab.internal.store.redis;

import io.lettuce.core.RedisException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * One command on a {@link RespConnection}: its words, encoded only when a batch is written, the
 * thread waiting for it, and its answer once one came. The first answer wins: an answer that
 * arrives after the command was failed changes nothing.
 */
abstract class RespCall {
    private static final VarHandle ANSWER;

    static {
        try {
            ANSWER = MethodHandles.lookup().findVarHandle(RespCall.class, "answer", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread waiter = Thread.currentThread();
    /** A reply as {@link RespReader} reads it, or the {@link RedisException} that failed the call; null until then. */
    private volatile Object answer;
    /** When the batch holding this call was written; set before it is. */
    long writtenNanos;

    /** Appends this command, as RESP, to the batch being written. */
    abstract void encode(RespWriter out);

    final boolean isDone() {
        return answer != null;
    }

    final void complete(Object reply) {
        if (ANSWER.compareAndSet(this, null, reply)) LockSupport.unpark(waiter);
    }

    /**
     * Waits for the answer: a String, Long, List or null (nil); an error reply or a failure is
     * thrown. The wait has no timer of its own: the connection fails the call when no answer
     * came in time (see {@link RespConnection}).
     */
    final Object await() {
        boolean interrupted = false;
        Object reply;
        while ((reply = answer) == null) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                interrupted = true;
                // The command may be on the wire: stop waiting, and say it may have run.
                if (ANSWER.compareAndSet(this, null, new RedisException("interrupted while waiting for redis's answer"))) break;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        reply = answer;
        if (reply instanceof RedisException e) throw e;
        return reply == RespReader.NIL ? null : reply;
    }

    /** Any command, word by word (AUTH, SELECT, SCRIPT LOAD ...). */
    static final class Words extends RespCall {
        private final String[] words;

        Words(String... words) {
            this.words = words;
        }

        @Override
        void encode(RespWriter out) {
            out.arrayHeader(words.length);
            for (String word : words) out.bulk(word);
        }
    }

    /** EVALSHA sha numkeys key... arg..., built without copying the keys and arguments into one array. */
    static final class EvalSha extends RespCall {
        private final String sha;
        private final String[] keys;
        private final String[] args;

        EvalSha(String sha, String[] keys, String[] args) {
            this.sha = sha;
            this.keys = keys;
            this.args = args;
        }

        @Override
        void encode(RespWriter out) {
            out.arrayHeader(3 + keys.length + args.length);
            out.bulk("EVALSHA");
            out.bulk(sha);
            out.bulk(keys.length);
            for (String key : keys) out.bulk(key);
            for (String arg : args) out.bulk(arg);
        }
    }
}
