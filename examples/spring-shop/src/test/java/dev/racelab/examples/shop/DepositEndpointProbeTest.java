package dev.racelab.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.cli.Racelab;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The shop's deposit endpoints under {@code racelab probe http}, as a user runs it against their running app: the
 * app is started on a random port and the probe sends 100 deposits, 10 at a time. It is racelab's command line
 * itself ({@link Racelab#run}, what {@code ./racelab probe http} runs), in this JVM.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DepositEndpointProbeTest {
    static final long ID = 21;

    @LocalServerPort
    int port;

    record Probe(int exitCode, String out, String err) {
    }

    Probe probe(String route) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Racelab.run(new PrintWriter(out, true), new PrintWriter(err, true), "probe", "http", "--url", "http://127.0.0.1:" + port,
                "--request", "POST /accounts/" + ID + "/" + route, "--body", "{\"amount\": 10}",
                "--read", "GET /accounts/" + ID, "--value", "balance", "--expect", "sum", "--delta", "10",
                "--setup", "POST /accounts/" + ID + "/reset", "--requests", "100", "--concurrency", "10");
        System.out.println(out);
        return new Probe(code, out.toString(), err.toString());
    }

    @Test
    void theReadModifyWriteEndpointLosesDeposits() {
        Probe p = probe("deposit-read-modify-write");
        assertThat(p.exitCode()).as(p.err()).isEqualTo(Racelab.FAIL);
        assertThat(p.out()).contains("FAIL: ").contains("lost updates.");
    }

    @Test
    void theAtomicEndpointLosesNone() {
        Probe p = probe("deposit-atomic");
        assertThat(p.exitCode()).as(p.out() + p.err()).isEqualTo(Racelab.PASS);
        assertThat(p.out()).contains("PASS: every acknowledged request is in ");
    }
}
