package dev.racelab.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.racelab.internal.registry.StoreRegistry;
import dev.racelab.store.Capability;
import dev.racelab.store.Layout;
import dev.racelab.store.Store;
import dev.racelab.store.StoreProvider;
import dev.racelab.store.testkit.Covers;
import dev.racelab.testing.TestStores;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a store declares, what it implements and what its tests prove agree: every registered
 * store has one contract test class; it includes the contract of each role the store declares
 * and no other; and the store it opens implements exactly the role interfaces its
 * capabilities belong to. Capabilities without a contract of their own (KEYLESS_TABLE,
 * ROW_LOCK_NO_KEY) are proven by the strategies that need them, in {@link StrategyMatrixTest}.
 */
class RolesMatchCapabilitiesTest {
    private static final Set<Capability> PROVEN_BY_STRATEGIES = EnumSet.of(Capability.KEYLESS_TABLE, Capability.ROW_LOCK_NO_KEY);

    /** Where each store's package, and its contract test class beside it, lives. */
    private static final String STORE_PACKAGES = "dev.racelab.internal.store";

    static List<String> stores() {
        return TestStores.names();
    }

    private static Map<String, Class<?>> contractClasses() {
        Map<String, Class<?>> byStore = new HashMap<>();
        for (JavaClass c : new ClassFileImporter().importPackages(STORE_PACKAGES)) {
            if (!c.isAnnotatedWith(ContractFor.class)) continue;
            Class<?> type = c.reflect();
            Class<?> earlier = byStore.put(type.getAnnotation(ContractFor.class).value(), type);
            assertThat(earlier).as("one contract class per store").isNull();
        }
        return byStore;
    }

    @Test
    void everyRegisteredStoreHasAContractClassAndEveryContractClassARegisteredStore() {
        assertThat(contractClasses().keySet()).containsExactlyInAnyOrderElementsOf(StoreRegistry.current().names());
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aStoresTestIncludesTheContractOfEachRoleItDeclaresAndNoOther(String name) {
        Class<?> tests = contractClasses().get(name);
        assertThat(tests).as("the contract class of " + name).isNotNull();
        Set<Capability> proven = EnumSet.noneOf(Capability.class);
        for (Class<?> nested : tests.getDeclaredClasses()) {
            if (!nested.isAnnotationPresent(Nested.class)) continue;
            Covers covers = nested.getSuperclass().getAnnotation(Covers.class);
            assertThat(covers).as(nested.getName() + " extends a role contract").isNotNull();
            proven.addAll(Arrays.asList(covers.value()));
        }
        Set<Capability> declared = EnumSet.copyOf(StoreRegistry.current().provider(name).capabilities());
        declared.removeAll(PROVEN_BY_STRATEGIES);
        assertThat(proven).as(name + ": contracts included against capabilities declared").isEqualTo(declared);
    }

    @ParameterizedTest
    @MethodSource("stores")
    void theOpenedStoreImplementsExactlyTheRolesOfItsCapabilities(String name) {
        StoreProvider provider = StoreRegistry.current().provider(name);
        Set<Class<?>> roles = provider.capabilities().stream().map(Capability::role).collect(Collectors.toSet());
        try (Store store = TestStores.open(TestStores.byName(name), Layout.KEYED, 1)) {
            assertThat(store.capabilities()).isEqualTo(provider.capabilities());
            for (Capability c : Capability.values()) {
                assertThat(c.role().isInstance(store)).as(name + " implements " + c.role().getSimpleName())
                        .isEqualTo(roles.contains(c.role()));
            }
        }
    }
}
