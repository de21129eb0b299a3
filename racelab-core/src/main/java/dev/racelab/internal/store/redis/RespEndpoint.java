package dev.racelab.internal.store.redis;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One plain Redis server that racelab's own RESP client may talk to directly: host, port, and
 * the login the URL asks for. Only a {@code redis://} URL naming one server is one. A Sentinel
 * URL is not: its master must be asked of the Sentinels at every connection, and after a
 * failover it is another server (Lettuce does that). Nor is TLS or a unix socket, which this
 * client does not speak. Those stay on Lettuce.
 */
record RespEndpoint(String host, int port, String username, String password, int database, String clientName) {

    /** The server {@code url} names, when racelab's RESP client can serve it; empty otherwise. */
    static Optional<RespEndpoint> of(String url, RedisURI uri) {
        boolean plain = url.regionMatches(true, 0, "redis://", 0, "redis://".length());
        if (!plain || !uri.getSentinels().isEmpty() || uri.isSsl() || uri.isStartTls() || uri.getSocket() != null) {
            return Optional.empty();
        }
        RedisCredentials login = uri.getCredentialsProvider().resolveCredentials().block();
        boolean hasPassword = login != null && login.hasPassword();
        return Optional.of(new RespEndpoint(uri.getHost(), uri.getPort(),
                hasPassword && login.hasUsername() ? login.getUsername() : null,
                hasPassword ? new String(login.getPassword()) : null, uri.getDatabase(), uri.getClientName()));
    }

    /** What a new connection sends before any command of the store's: AUTH, SELECT, CLIENT SETNAME as the URL says. */
    List<RespCall> login() {
        List<RespCall> calls = new ArrayList<>();
        if (password != null) calls.add(username != null ? new RespCall.Words("AUTH", username, password) : new RespCall.Words("AUTH", password));
        if (database != 0) calls.add(new RespCall.Words("SELECT", Integer.toString(database)));
        if (clientName != null && !clientName.isEmpty()) calls.add(new RespCall.Words("CLIENT", "SETNAME", clientName));
        return calls;
    }

    /** host:port; never the password. */
    @Override
    public String toString() {
        return host + ":" + port;
    }
}
