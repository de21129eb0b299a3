package dev.racelab.examples.shop;

import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Workers claim the oldest NEW job; each job must go to one worker. */
@Service
public class JobQueue {
    private final JobRepository jobs;

    public JobQueue(JobRepository jobs) {
        this.jobs = jobs;
    }

    /** Buggy: two workers read the same oldest NEW job and both claim it; the second update just writes CLAIMED again. */
    @Transactional
    public Optional<Long> claimNextRacy() {
        return jobs.findFirstByStatusOrderByIdAsc(Job.NEW).map(this::claim);
    }

    /** Fixed: {@code for update skip locked}: a worker skips the job another has locked and takes the next one. */
    @Transactional
    public Optional<Long> claimNextSkipLocked() {
        return jobs.findFirstLockedByStatusOrderByIdAsc(Job.NEW).map(this::claim);
    }

    private long claim(Job job) {
        job.claim();
        return job.getId();
    }
}
