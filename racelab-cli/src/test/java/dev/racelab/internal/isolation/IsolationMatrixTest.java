package dev.racelab.internal.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.core.Clock;
import dev.racelab.internal.probe.sql.SqlProbe;
import dev.racelab.testing.TestStores;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole matrix, measured on this machine's servers, against the expected one committed
 * beside this test (src/test/resources/dev/racelab/internal/isolation), each cell with its source.
 */
class IsolationMatrixTest {
    record Expected(String anomaly, String level, String cell, String source) {
    }

    @ParameterizedTest
    @CsvSource({"postgres, expected-postgres.tsv", "mysql, expected-mariadb.tsv"})
    void everyCellIsAsTheSourcesSay(String store, String file) throws IOException {
        List<Expected> expected = read(file);
        IsolationMatrix matrix;
        try (SqlProbe probe = SqlProbe.open(store, TestStores.byName(store).url(), null, Duration.ofSeconds(30), Clock.SYSTEM)) {
            matrix = IsolationMatrix.measure(probe, Anomaly.all(), null);
        }
        assertThat(matrix.cells()).hasSize(expected.size());
        SoftAssertions soft = new SoftAssertions();
        for (Expected e : expected) {
            Cell measured = matrix.cell(e.anomaly(), e.level());
            soft.assertThat(measured.shortText()).as("%s at %s (%s); ran: %s", e.anomaly(), e.level(), e.source(), measured.ran())
                    .isEqualTo(e.cell());
        }
        soft.assertAll();
        String text = matrix.render();
        assertThat(text).contains("P4 at read committed: t1.begin t2.begin t1.read t2.read t1.write t2.write t1.commit t2.commit");
    }

    private static List<Expected> read(String file) throws IOException {
        List<Expected> out = new ArrayList<>();
        try (InputStream in = IsolationMatrixTest.class.getResourceAsStream("/dev/racelab/internal/isolation/" + file)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.split("\t");
                assertThat(f).as("a cell needs its source: %s", line).hasSize(4);
                assertThat(f[3]).isNotBlank();
                out.add(new Expected(f[0], f[1], f[2], f[3]));
            }
        }
        return out;
    }
}
