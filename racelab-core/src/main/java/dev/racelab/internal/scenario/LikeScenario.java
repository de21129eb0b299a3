package dev.racelab.internal.scenario;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seed 003's likes: --users users like and unlike --posts posts at random. A like writes the
 * guard row (user, post) and adds 1 to the post's count; liking twice is refused, so it counts
 * once. An unlike deletes the row and subtracts 1; unliking what is not liked is refused. The
 * checker proves each count equals its rows.
 */
public final class LikeScenario implements Scenario {
    private final ScenarioOptions options;

    public LikeScenario(ScenarioOptions options) {
        this.options = options;
    }

    public static String countKey(String prefix, int post) {
        return prefix + "likes:post:" + post;
    }

    public static String likeKey(String prefix, int post, long user) {
        return prefix + "like:post:" + post + ":user:" + user;
    }

    /** A like (or, with {@code unlike}, its removal) by one user of one post. */
    public static Operation like(long id, String prefix, int post, long user, boolean unlike) {
        return new Operation(id, List.of(new Change(countKey(prefix, post), unlike ? -1 : 1)), Operation.NO_FLOOR,
                likeKey(prefix, post, user), unlike);
    }

    @Override
    public String name() {
        return "like";
    }

    @Override
    public String noun() {
        return "likes and unlikes";
    }

    @Override
    public String description() {
        return "--users users like and unlike --posts posts at random; a like is a guard row, the count follows it";
    }

    @Override
    public List<Cell> cells(String prefix) {
        List<Cell> cells = new ArrayList<>(options.posts());
        for (int p = 1; p <= options.posts(); p++) cells.add(new Cell(countKey(prefix, p), 0, 0));
        return cells;
    }

    /** Likes are more common than unlikes, so counts grow and both refusals happen. */
    @Override
    public Operation operation(String prefix, int instance, int thread, long seq) {
        long id = Scenario.operationId(instance, thread, seq);
        SplittableRandom random = new SplittableRandom(id);
        int post = random.nextInt(options.posts()) + 1;
        long user = random.nextInt(options.users()) + 1;
        return like(id, prefix, post, user, random.nextInt(10) < 4);
    }

    @Override
    public boolean usesGuards() {
        return true;
    }
}
