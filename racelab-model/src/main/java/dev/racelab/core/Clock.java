package dev.racelab.core;

import java.time.Duration;

/** Time and sleep come in through here, so tests need no real waiting. */
public interface Clock {
    long nanoTime();

    void sleep(Duration duration) throws InterruptedException;

    Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            if (duration.isPositive()) Thread.sleep(duration);
        }
    };
}
