package dev.racelab.internal.http;

import dev.racelab.internal.run.LiveRace;
import dev.racelab.internal.run.LiveRaces;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A race's Server-Sent Events at {@code GET /races/{id}/events}: {@code race} (what it is), one
 * {@code tick} per sample with the tick's index as its id, and {@code done} with the verdict,
 * after which the stream ends. Each request runs on its own virtual thread, so this simply
 * writes as ticks appear. A page that reconnects sends Last-Event-ID and gets only the ticks
 * after it; one that comes after the end gets every tick and the verdict at once.
 */
final class LiveEvents {
    private static final long POLL_MS = 50;
    private static final long HEARTBEAT_MS = 15_000;

    private LiveEvents() {
    }

    static void stream(Context ctx, LiveRaces races) throws IOException {
        LiveRace race;
        try {
            race = LiveApi.race(races, ctx.pathParam("id"));
        } catch (ApiException e) {
            ctx.status(e.status()).contentType("application/json").result(RaceServer.JSON.writeValueAsBytes(Reply.error(e.status(),
                    e.getMessage()).body()));
            return;
        }
        HttpServletResponse res = ctx.res();
        res.setStatus(200);
        res.setContentType("text/event-stream;charset=utf-8");
        res.setHeader("Cache-Control", "no-cache");
        LivePage.secure(res);
        OutputStream out = res.getOutputStream();
        int next = resumeAfter(ctx.header("Last-Event-ID")) + 1;
        write(out, "retry: 1000\n\n");
        write(out, event("race", null, LiveApi.details(race)));
        long quietSince = System.currentTimeMillis();
        try {
            while (true) {
                boolean over = !race.running(); // read before the ticks, so the last tick is always sent before done
                int count = race.tickCount();
                for (; next < count; next++) write(out, event("tick", next, race.tick(next)));
                if (over) {
                    write(out, event("done", null, LiveApi.details(race)));
                    return;
                }
                if (count > 0) quietSince = System.currentTimeMillis();
                if (System.currentTimeMillis() - quietSince > HEARTBEAT_MS) {
                    write(out, ": still running\n\n");
                    quietSince = System.currentTimeMillis();
                }
                Thread.sleep(POLL_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException gone) {
            // the page went away; the race goes on without it
        }
    }

    private static int resumeAfter(String lastEventId) {
        if (lastEventId == null || !lastEventId.matches("[0-9]{1,6}")) return -1;
        return Integer.parseInt(lastEventId);
    }

    private static String event(String name, Integer id, Object data) throws IOException {
        return "event: " + name + "\n" + (id == null ? "" : "id: " + id + "\n") + "data: "
                + RaceServer.JSON.writeValueAsString(data) + "\n\n";
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
