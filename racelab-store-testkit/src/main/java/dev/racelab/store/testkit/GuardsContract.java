package dev.racelab.store.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.store.Capability;
import dev.racelab.store.GuardStore;
import org.junit.jupiter.api.Test;

/** The guard-row role: a key inserted once, listed by a literal prefix, removed once. */
@Covers(Capability.GUARD_ROW)
public abstract class GuardsContract extends RoleContract {
    @Test
    void aGuardIsInsertedOnceAndListedUnderItsPrefix() {
        GuardStore guards = as(GuardStore.class);
        assertThat(guards.insertGuard(key("order:1"))).isTrue();
        assertThat(guards.insertGuard(key("order:1"))).as("the second insert of one key").isFalse();
        assertThat(guards.insertGuard(key("order:2"))).isTrue();
        assertThat(guards.guards(prefix)).containsExactlyInAnyOrder(key("order:1"), key("order:2"));
        assertThat(guards.guards(freshPrefix())).as("another prefix sees none of them").isEmpty();
        assertThat(guards.removeGuard(key("order:1"))).isTrue();
        assertThat(guards.removeGuard(key("order:1"))).isFalse();
        guards.deleteGuards(prefix);
        assertThat(guards.guards(prefix)).isEmpty();
    }

    @Test
    void guardPrefixesAreLiteralNotPatterns() {
        GuardStore guards = as(GuardStore.class);
        assertThat(guards.insertGuard(key("a_b%c*d?e[f]"))).isTrue();
        assertThat(guards.insertGuard(key("aXb"))).isTrue();
        assertThat(guards.guards(key("a_b%c*"))).containsExactly(key("a_b%c*d?e[f]"));
        guards.deleteGuards(prefix);
    }
}
