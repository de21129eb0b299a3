package dev.racelab.internal.isolation;

import dev.racelab.internal.probe.sql.ProbeSpec;
import dev.racelab.internal.probe.sql.SpecParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The specs racelab ships, one per anomaly, read from the class path. */
public final class Catalogue {
    private Catalogue() {
    }

    public static ProbeSpec spec(Anomaly anomaly) {
        try (InputStream in = Catalogue.class.getResourceAsStream(anomaly.resource())) {
            if (in == null) throw new IllegalStateException("the catalogue has no " + anomaly.resource());
            return SpecParser.parse("catalogue " + anomaly.resource(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + anomaly.resource(), e);
        }
    }

    /** The spec's text, to print or copy as a start for one's own. */
    public static String text(Anomaly anomaly) {
        try (InputStream in = Catalogue.class.getResourceAsStream(anomaly.resource())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("cannot read " + anomaly.resource(), e);
        }
    }
}
