package dev.racelab.internal.lab;

import dev.racelab.core.Clock;
import java.util.Map;

/**
 * {@code racelab lab up NAME --store redis-sentinel} in a JVM of its own that stops at a step
 * it names: when the progress line containing {@code args[1]} is printed, it prints
 * {@code holding} and waits there for ever, so the test's kill -9 lands at that very step.
 */
public final class LabUpUntil {
    private LabUpUntil() {
    }

    public static void main(String[] args) {
        String name = args[0];
        String stopAt = args[1];
        new Labs(Clock.SYSTEM, line -> {
            System.out.println(line);
            if (line.contains(stopAt)) {
                System.out.println("holding");
                System.out.flush();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            System.out.flush();
        }).up(name, "redis-sentinel", 3, Map.of());
        System.out.println("finished without stopping");
    }
}
