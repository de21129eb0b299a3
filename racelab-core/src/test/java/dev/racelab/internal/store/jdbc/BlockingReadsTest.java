package dev.racelab.internal.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.testing.TestStores;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The pools' sockets read in one blocking call; a URL that chose its own socket or timeouts is left alone. */
class BlockingReadsTest {
    private static final String FACTORY = "socketFactory=" + BlockingSocketFactory.class.getName();

    @Test
    void aSocketStaysBlockingAfterATimedConnectAndATimedRead() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             Socket socket = new BlockingSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()), 5_000);
            try (Socket accepted = server.accept()) {
                assertThat(socket.getChannel().isBlocking()).as("after a connect with a timeout").isTrue();
                socket.setSoTimeout(5_000);
                accepted.getOutputStream().write(42);
                assertThat(socket.getInputStream().read()).isEqualTo(42);
                socket.setSoTimeout(0);
                assertThat(socket.getChannel().isBlocking()).as("after a read with a timeout").isTrue();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mysql"})
    void eachDriverConnectsThroughTheFactoryAndAnswers(String store) throws Exception {
        String url = JdbcUrls.withBlockingReads(JdbcUrls.normalizeMysql(TestStores.byName(store).url()));
        assertThat(url).contains(FACTORY);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 41 + 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }

    @Test
    void theFactoryJoinsTheUrlsOptionsOrStartsThem() {
        assertThat(JdbcUrls.withBlockingReads("jdbc:postgresql://h:5432/test")).isEqualTo("jdbc:postgresql://h:5432/test?" + FACTORY);
        assertThat(JdbcUrls.withBlockingReads("jdbc:mariadb://h/test?user=root&password="))
                .isEqualTo("jdbc:mariadb://h/test?user=root&password=&" + FACTORY);
    }

    @Test
    void aUrlWithItsOwnSocketFactoryOrReadTimeoutIsLeftAsItIs() {
        String own = "jdbc:mariadb://h/test?socketFactory=com.example.Tunnel";
        String timed = "jdbc:postgresql://h/test?user=postgres&SocketTimeout=5";
        assertThat(JdbcUrls.withBlockingReads(own)).isEqualTo(own);
        assertThat(JdbcUrls.withBlockingReads(timed)).isEqualTo(timed);
    }
}
