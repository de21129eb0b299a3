package dev.racelab.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.racelab.junit.internal.SwitchableDataSource;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

/** The application's DataSource bean, made switchable by the customizer alone: same class, wrapped once, unchanged outside a race. */
@SpringJUnitConfig(Counters.App.class)
class SwitchableDataSourceTest {
    @Autowired
    HikariDataSource dataSource;
    @Autowired
    Counters counters;

    @Test
    void theBeanKeepsItsClassAndIsWrappedOnce() {
        assertThat(dataSource).isInstanceOf(SwitchableDataSource.class);
        SwitchableDataSource sw = (SwitchableDataSource) dataSource;
        assertThat(sw.racelabTarget()).isInstanceOf(HikariDataSource.class).isNotInstanceOf(SwitchableDataSource.class);
        assertThat(SwitchableDataSources.wrap(dataSource)).isSameAs(dataSource);
        // Every other call reaches the pool itself.
        assertThat(dataSource.getPoolName()).isEqualTo("racelab-spring-test");
        assertThat(dataSource.getMaximumPoolSize()).isEqualTo(5);
    }

    @Test
    void outsideARaceConnectionsComeStraightFromThePool() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            assertThat(Proxy.isProxyClass(c.getClass())).as("not racelab's interleaving proxy").isFalse();
            assertThat(c.isValid(5)).isTrue();
        }
        counters.reset(7);
        counters.addAtomic(7, 3);
        counters.addReadThenWrite(7, 4);
        assertThat(counters.value(7)).isEqualTo(7);
    }

    @Test
    void theSwitchIsNeverRoutedToItselfNorToItsOwnPool() {
        SwitchableDataSource sw = (SwitchableDataSource) dataSource;
        assertThatThrownBy(() -> sw.racelabRouteTo(dataSource)).isInstanceOf(IllegalStateException.class).hasMessageContaining("not to itself");
        assertThatThrownBy(() -> sw.racelabRouteTo(sw.racelabTarget())).isInstanceOf(IllegalStateException.class);
    }
}
