package dev.racelab.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racelab.core.InvalidFieldException;
import dev.racelab.internal.input.OutsideNumbers;
import dev.racelab.internal.run.LiveRace;
import dev.racelab.internal.run.LiveRaceSpec;
import dev.racelab.internal.run.LiveRaces;
import dev.racelab.internal.run.LiveScenario;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live page's JSON API: what can be raced ({@code GET /races}), starting a race
 * ({@code POST /races}, an admin route) and a race's state and verdict ({@code GET /races/{id}});
 * its events stream from {@link LiveEvents}. Bad input is a 400 naming the field.
 */
public final class LiveApi {
    static final String START_PATTERN = "/races";

    private LiveApi() {
    }

    /**
     * @param startAllowed whether races may be started at all (--demo, or an admin token to check);
     *                     without either, starting answers 403 and says how to allow it
     * @param tokenRequired whether a start must carry the admin token, for the page to say so
     */
    public static List<Route> routes(LiveRaces races, boolean startAllowed, boolean tokenRequired, String naiveGapNote) {
        List<Route> r = new ArrayList<>();
        r.add(new Route("GET", "/races", q -> Reply.ok(ordered("options", options(races, startAllowed, tokenRequired, naiveGapNote),
                "races", races.recent().stream().map(LiveApi::summary).toList()))));
        r.add(new Route("POST", START_PATTERN, q -> startAllowed ? start(races, q.body()) : Reply.error(403,
                "starting a race is off on this server: start racelab serve with --demo, or with --admin-token T and send T"
                        + " in the " + RaceServer.ADMIN_HEADER + " header")));
        r.add(new Route("GET", "/races/{id}", q -> Reply.ok(details(race(races, q.path("id"))))));
        return List.copyOf(r);
    }

    static LiveRace race(LiveRaces races, String id) {
        return races.get(id == null ? "" : id).orElseThrow(() -> ApiException.notFound("no race '" + OutsideNumbers.excerpt(id) + "'; races are kept until "
                + LiveRaces.KEPT + " newer ones have finished, or the server restarts"));
    }

    private static Reply start(LiveRaces races, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw InvalidFieldException.about("scenario", "the body must be a JSON object with scenario, strategy, concurrency"
                    + " and operations");
        }
        LiveScenario scenario = LiveScenario.byId(text(body, "scenario"));
        String strategy = text(body, "strategy");
        int concurrency = whole(body, "concurrency", null);
        int operations = whole(body, "operations", LiveRaceSpec.DEFAULT_OPERATIONS);
        LiveRaces.Start start = races.start(new LiveRaceSpec(scenario, strategy, concurrency, operations));
        return switch (start) {
            case LiveRaces.Busy busy -> new Reply(409, ordered("error", busy.message(), "running", busy.running()));
            case LiveRaces.Started started -> new Reply(201, ordered("id", started.race().id(),
                    "events", "/races/" + started.race().id() + "/events", "race", "/races/" + started.race().id()));
        };
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) throw InvalidFieldException.about(field, "{field} is required");
        if (!node.isTextual()) throw InvalidFieldException.must(field, "must be a string, was " + Requests.shown(node));
        return node.asText();
    }

    /** A whole number; one beyond int's range is out of the field's range, which the spec's check then names. */
    private static int whole(JsonNode body, String field, Integer fallback) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (fallback != null) return fallback;
            throw InvalidFieldException.about(field, "{field} is required");
        }
        if (!node.isIntegralNumber()) throw InvalidFieldException.must(field, "must be a whole number, was " + Requests.shown(node));
        if (!node.canConvertToInt()) return node.bigIntegerValue().signum() < 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        return node.intValue();
    }

    private static Map<String, Object> options(LiveRaces races, boolean startAllowed, boolean tokenRequired, String naiveGapNote) {
        List<Object> scenarios = new ArrayList<>();
        for (LiveScenario s : LiveScenario.values()) {
            scenarios.add(ordered("id", s.id(), "label", s.label(), "description", s.description(), "money", s.money(),
                    "strategies", races.choices(s)));
        }
        Map<String, Object> o = ordered("store", races.cellStore(), "scenarios", scenarios,
                "concurrency", ordered("min", LiveRaceSpec.MIN_CONCURRENCY, "max", LiveRaceSpec.MAX_CONCURRENCY,
                        "default", LiveRaceSpec.DEFAULT_CONCURRENCY),
                "operations", ordered("max", LiveRaceSpec.MAX_OPERATIONS, "default", LiveRaceSpec.DEFAULT_OPERATIONS),
                "maxSeconds", LiveRaces.MAX_DURATION.toSeconds(), "racesAtOnce", races.maxRunning(),
                "startAllowed", startAllowed, "tokenRequired", tokenRequired, "tokenHeader", RaceServer.ADMIN_HEADER);
        if (naiveGapNote != null) o.put("naiveGap", naiveGapNote);
        return o;
    }

    /** A race in a list: what it is and where it is. */
    static Map<String, Object> summary(LiveRace race) {
        LiveRaceSpec s = race.spec();
        Map<String, Object> m = ordered("id", race.id(), "state", race.state().label(), "scenario", s.scenario().id(),
                "strategy", s.strategy(), "concurrency", s.concurrency(), "planned", s.planned(), "startedAt", race.startedAtMillis());
        if (race.result() != null) m.put("verdict", race.result().verdict());
        return m;
    }

    /** A race with what the page needs to draw it, and at the end the run's whole result and the checker's sentence. */
    static Map<String, Object> details(LiveRace race) {
        Map<String, Object> m = summary(race);
        m.put("money", race.spec().scenario().money());
        m.put("delta", race.delta());
        m.put("initial", race.initial());
        m.put("safe", race.safeStrategy());
        m.put("how", race.strategyHow());
        m.put("ticks", race.tickCount());
        if (race.tickCount() > 0) m.put("last", race.tick(race.tickCount() - 1));
        if (race.stoppedAtLimit()) m.put("stoppedAtLimit", true);
        if (race.sentence() != null) m.put("sentence", race.sentence());
        if (race.failure() != null) m.put("failure", race.failure());
        if (race.result() != null) m.put("result", race.result());
        return m;
    }

    private static Map<String, Object> ordered(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) map.put((String) pairs[i], pairs[i + 1]);
        return map;
    }
}
