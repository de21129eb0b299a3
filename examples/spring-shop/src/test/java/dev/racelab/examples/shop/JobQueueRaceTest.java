package dev.racelab.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.junit.Invariant;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceResult;
import dev.racelab.junit.RaceTest;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.LongStream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Two workers claim the next job from a queue of two: both read the same oldest job and run it twice; with
 * {@code for update skip locked} each takes its own. {@link MariaDbJobQueueRaceTest} runs the same on MariaDB.
 */
@SpringBootTest
class JobQueueRaceTest {
    static final long FIRST = 81;
    static final long SECOND = 82;

    @Autowired
    JobQueue queue;
    @Autowired
    JobRepository jobs;

    /** The jobs handed out, one entry per worker that got one. */
    final Queue<Long> claimed = new ConcurrentLinkedQueue<>();

    void twoNewJobs() {
        jobs.deleteAll();
        jobs.saveAll(List.of(new Job(FIRST), new Job(SECOND)));
        claimed.clear();
    }

    void eightNewJobs() {
        jobs.deleteAll();
        jobs.saveAll(LongStream.range(FIRST, FIRST + 8).mapToObj(Job::new).toList());
        claimed.clear();
    }

    boolean worker(Optional<Long> job) {
        job.ifPresent(claimed::add);
        return job.isPresent();
    }

    Invariant eachJobToOneWorker() {
        return Invariant.that("each job is handed to one worker", o -> claimed.stream().distinct().count() == claimed.size());
    }

    @RaceTest(schedules = 30, sampleSeed = 1)
    void bothWorkersClaimTheSameJobInAnInterleaving(Race race) {
        race.interleave();
        race.setup(this::twoNewJobs);
        race.attempt(inv -> worker(queue.claimNextRacy()));
        race.expect(eachJobToOneWorker());
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.outcomes().acknowledged()).as("both workers claimed a job: the same one").isEqualTo(2);
    }

    @RaceTest(schedules = 30, sampleSeed = 1)
    void skipLockedGivesEachWorkerItsOwnJobInAnyInterleaving(Race race) {
        race.interleave();
        race.setup(this::twoNewJobs);
        race.attempt(inv -> worker(queue.claimNextSkipLocked()));
        race.expect(eachJobToOneWorker());
        race.expect(Invariant.that("both workers get a job", o -> claimed.size() == 2));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.outcomes().acknowledged()).isEqualTo(2);
    }

    @RaceTest(threads = 8, invocations = 8)
    void workersClaimTheSameJobsUnderLoad(Race race) {
        race.setup(this::eightNewJobs);
        race.attempt(inv -> worker(queue.claimNextRacy()));
        race.expect(eachJobToOneWorker());
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
    }

    @RaceTest(threads = 8, invocations = 8)
    void skipLockedGivesEachWorkerItsOwnJobUnderLoad(Race race) {
        race.setup(this::eightNewJobs);
        race.attempt(inv -> worker(queue.claimNextSkipLocked()));
        race.expect(eachJobToOneWorker());
        race.expect(Invariant.that("every worker gets a job", o -> claimed.size() == 8));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
    }
}
