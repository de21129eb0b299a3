package dev.racelab.examples.shop;

import jakarta.persistence.LockModeType;
import jakarta.persistence.QueryHint;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.QueryHints;

public interface JobRepository extends JpaRepository<Job, Long> {
    /** The oldest job in a status, read as it is: two workers can both get it. */
    Optional<Job> findFirstByStatusOrderByIdAsc(String status);

    /**
     * The fix: {@code select ... for update skip locked} (Hibernate's lock timeout -2): a job another worker has
     * locked is skipped, not waited for, so each worker gets a job of its own.
     */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @QueryHints(@QueryHint(name = "jakarta.persistence.lock.timeout", value = "-2"))
    Optional<Job> findFirstLockedByStatusOrderByIdAsc(String status);
}
