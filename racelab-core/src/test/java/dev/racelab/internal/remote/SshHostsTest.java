package dev.racelab.internal.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.core.UsageException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SshHostsTest {
    @Test
    void hostsAreUserAtHostWithAnOptionalPortAndALabHostByItsName() {
        SshHosts hosts = SshHosts.parse(List.of("root@10.0.0.5", "deploy@load2:2222", "h1"), Map.of("h1", "10.213.4.21"), null, null);
        assertThat(hosts.targets()).containsExactly(new SshTarget("root", "10.0.0.5", 22), new SshTarget("deploy", "load2", 2222),
                new SshTarget("root", "10.213.4.21", 22));
        assertThat(hosts.targets().get(1)).hasToString("deploy@load2:2222");
    }

    @Test
    void instancesGoRoundRobinOrByTheCountsGiven() {
        SshHosts rr = SshHosts.parse(List.of("root@a", "root@b", "root@c"), Map.of(), null, null);
        assertThat(rr.assign(5).stream().map(SshTarget::host).toList()).containsExactly("a", "b", "c", "a", "b");
        SshHosts counted = SshHosts.parse(List.of("root@a=4", "root@b=2"), Map.of(), null, null);
        assertThat(counted.assign(6).stream().map(SshTarget::host).toList()).containsExactly("a", "a", "a", "a", "b", "b");
        assertThat(counted.placedWorkers()).hasValue(6);
        assertThatThrownBy(() -> counted.assign(5)).isInstanceOf(UsageException.class).hasMessageContaining("places 6 workers but --instances is 5");
    }

    @Test
    void badHostsAreRefusedInOneLine() {
        assertThatThrownBy(() -> SshHosts.parse(List.of("root@a", "root@a"), Map.of(), null, null)).isInstanceOf(UsageException.class)
                .hasMessage("--hosts names root@a twice");
        assertThatThrownBy(() -> SshHosts.parse(List.of("root@a=4", "root@b"), Map.of(), null, null)).isInstanceOf(UsageException.class)
                .hasMessageContaining("give a worker count to every host");
        assertThatThrownBy(() -> SshHosts.parse(List.of("root@a=0"), Map.of(), null, null)).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> SshHosts.parse(List.of("root@a:99999"), Map.of(), null, null)).isInstanceOf(UsageException.class)
                .hasMessageContaining("port 99999");
        assertThatThrownBy(() -> SshHosts.parse(List.of("root@a b"), Map.of(), null, null)).isInstanceOf(UsageException.class)
                .hasMessageContaining("is not user@host[:port]");
    }

    @Test
    void theClockBoundIsTheShortestRoundTripsAndItsUnionWithAnotherHoldsBoth() {
        // t0 = 1,000 µs, the host read 51,500 µs, t1 = 3,000 µs: offset 49.5 ms, within 1 ms
        ClockBound.Sample wide = new ClockBound.Sample(1_000, 51_500, 3_000);
        ClockBound.Sample narrow = new ClockBound.Sample(10_000, 60_100, 10_200);
        assertThat(ClockBound.best(List.of(wide, narrow))).isEqualTo(new ClockBound(50.0, 0.1));
        assertThat(ClockBound.best(List.of(wide))).isEqualTo(new ClockBound(49.5, 1.0));
        assertThat(new ClockBound(50.0, 0.1).union(new ClockBound(49.5, 1.0))).isEqualTo(new ClockBound(49.5, 1.0));
        assertThat(new ClockBound(0, 1).union(new ClockBound(4, 1))).isEqualTo(new ClockBound(2, 3));
    }
}
