package dev.racelab.store.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.store.Capability;
import dev.racelab.store.Lease;
import dev.racelab.store.LeaseStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The lease role: one holder (not reentrant, even for the same thread), release by the
 * owner's token only, fencing tokens that grow with every grant, and expiry once the holder
 * falls silent.
 */
@Covers(Capability.LEASE)
public abstract class LeasesContract extends RoleContract {
    /**
     * A lease on {@code name} from a holder that then falls silent, so that it expires. By
     * default a 100 ms lease that nobody renews (Redis's SET PX); a store whose holders renew
     * their leases (a ZooKeeper session, Redisson's watchdog) overrides this with a holder of its
     * own that stops renewing: a client whose session dies, say. The lease must expire within 10 s.
     */
    protected Lease takeALeaseWhoseHolderFallsSilent(LeaseStore leases, String name) {
        return leases.tryLease(name, Duration.ofMillis(100)).orElseThrow();
    }

    @Test
    void aLeaseHasOneHolderUntilItsOwnerReleasesIt() {
        LeaseStore leases = as(LeaseStore.class);
        Lease first = leases.tryLease(key("lock"), Duration.ofSeconds(30)).orElseThrow();
        assertThat(leases.tryLease(key("lock"), Duration.ofSeconds(30))).as("while held, even by the same thread").isEmpty();
        assertThat(leases.releaseLease(new Lease(first.name(), "not-the-owner", first.fence()))).isFalse();
        assertThat(leases.tryLease(key("lock"), Duration.ofSeconds(30))).as("a wrong token released nothing").isEmpty();
        assertThat(leases.releaseLease(first)).isTrue();
        Lease second = leases.tryLease(key("lock"), Duration.ofSeconds(30)).orElseThrow();
        assertThat(leases.releaseLease(first)).as("a stale owner cannot release the new holder's lease").isFalse();
        assertThat(leases.releaseLease(second)).isTrue();
    }

    @Test
    void fencedLeasesCarryATokenThatGrowsWithEveryGrant() {
        LeaseStore leases = as(LeaseStore.class);
        Lease first = leases.tryFencedLease(key("lock"), Duration.ofSeconds(30)).orElseThrow();
        assertThat(first.fence()).as("a fenced grant carries a token").isPositive();
        assertThat(leases.tryFencedLease(key("lock"), Duration.ofSeconds(30))).as("while held").isEmpty();
        assertThat(leases.releaseLease(first)).isTrue();
        Lease second = leases.tryFencedLease(key("lock"), Duration.ofSeconds(30)).orElseThrow();
        assertThat(second.fence()).as("fences grow with every grant").isGreaterThan(first.fence());
        assertThat(leases.releaseLease(second)).isTrue();
        Lease other = leases.tryFencedLease(key("other"), Duration.ofSeconds(30)).orElseThrow();
        assertThat(other.fence()).isPositive();
        assertThat(leases.releaseLease(other)).isTrue();
    }

    @Test
    void anExpiredLeaseCanBeTakenByTheNextClient() {
        LeaseStore leases = as(LeaseStore.class);
        Lease first = takeALeaseWhoseHolderFallsSilent(leases, key("lock"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Optional<Lease> next = Optional.empty();
        while (next.isEmpty() && System.nanoTime() < deadline) {
            sleep(50);
            next = leases.tryLease(key("lock"), Duration.ofSeconds(30));
        }
        assertThat(next).as("granted after the first lease expired").isPresent();
        assertThat(leases.releaseLease(first)).as("the expired holder no longer owns it").isFalse();
        assertThat(leases.releaseLease(next.get())).isTrue();
    }
}
