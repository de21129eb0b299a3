package dev.racelab.internal.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.racelab.internal.vocab.StrategyId;
import java.util.ArrayList;
import java.util.List;

/**
 * The route table: seed 003's routes with the seed's shapes, and a clean resource API beside
 * them where every strategy can be chosen. Admin routes (reset, the deadlock demonstration)
 * exist only when {@code admin} is set (--demo or an admin token).
 */
public final class Api {
    private Api() {
    }

    public static List<Route> routes(RaceService s, boolean admin) {
        List<Route> r = new ArrayList<>();
        // seed 003
        r.add(new Route("POST", "/deposit-broken/{id}", q -> s.deposit(q.path("id"), q.body(), "broken", q.idempotencyKey())));
        r.add(new Route("POST", "/deposit-atomic/{id}", q -> s.deposit(q.path("id"), q.body(), StrategyId.ATOMIC.flagName(), q.idempotencyKey())));
        r.add(new Route("POST", "/deposit-optimistic/{id}", q -> s.deposit(q.path("id"), q.body(), StrategyId.OPTIMISTIC_3.flagName(), q.idempotencyKey())));
        r.add(new Route("POST", "/deposit-distributed/{id}", q -> {
            if (!s.hasLeases()) throw new ApiException(503, "no lease store: start racelab serve with a reachable --redis-url");
            return s.deposit(q.path("id"), q.body(), StrategyId.LOCK.flagName(), q.idempotencyKey());
        }));
        r.add(new Route("POST", "/deposit-distributed-fenced/{id}", q -> {
            if (!s.hasLeases()) throw new ApiException(503, "no lease store: start racelab serve with a reachable --redis-url");
            return s.deposit(q.path("id"), q.body(), StrategyId.LOCK_FENCED.flagName(), q.idempotencyKey());
        }));
        r.add(new Route("POST", "/transfer", q -> s.transfer(q.body(), null, q.idempotencyKey())));
        r.add(new Route("POST", "/like/{postId}", q -> s.like(q.path("postId"), q.body(), false, q.idempotencyKey())));
        r.add(new Route("DELETE", "/unlike/{postId}", q -> s.like(q.path("postId"), q.body(), true, q.idempotencyKey())));
        r.add(new Route("GET", "/balance/{id}", q -> s.balance(q.path("id"))));
        // the resource API
        r.add(new Route("GET", "/accounts/{id}", q -> s.accountDetails(q.path("id"))));
        r.add(new Route("POST", "/accounts/{id}/deposits",
                q -> s.deposit(q.path("id"), q.body(), q.query("strategy", StrategyId.ATOMIC.flagName()), q.idempotencyKey())));
        r.add(new Route("POST", "/transfers", q -> s.transfer(q.body(), q.query("strategy", null), q.idempotencyKey())));
        r.add(new Route("GET", "/posts/{id}", q -> s.post(q.path("id"))));
        r.add(new Route("POST", "/posts/{id}/likes", q -> s.like(q.path("id"), q.body(), false, q.idempotencyKey())));
        r.add(new Route("DELETE", "/posts/{id}/likes/{userId}", q -> s.like(q.path("id"), userBody(q.path("userId")), true,
                q.idempotencyKey())));
        r.add(new Route("POST", "/counters/{id}/increments",
                q -> s.increment(q.path("id"), q.query("strategy", StrategyId.ATOMIC.flagName()), q.idempotencyKey())));
        r.add(new Route("POST", "/products/{id}/orders",
                q -> s.order(q.path("id"), q.body(), q.query("strategy", StrategyId.ATOMIC.flagName()), q.idempotencyKey())));
        if (admin) {
            r.add(new Route("POST", "/reset", q -> s.reset()));
            r.add(new Route("POST", "/test-deadlock", q -> s.testDeadlock()));
        }
        return List.copyOf(r);
    }

    /** DELETE /posts/{id}/likes/{userId} carries the user in the path; the service reads it from a body. */
    private static ObjectNode userBody(String userId) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (userId != null && userId.matches("[0-9]{1,10}")) body.put("userId", Long.parseLong(userId));
        else body.put("userId", String.valueOf(userId));
        return body;
    }
}
