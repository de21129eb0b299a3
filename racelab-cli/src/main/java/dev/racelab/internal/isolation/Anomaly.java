package dev.racelab.internal.isolation;

import java.util.List;

/** The anomalies of racelab's catalogue, in Hermitage's order; each is a probe sql spec shipped as a resource. */
public enum Anomaly {
    G0("G0", "dirty write", "g0.yaml"),
    G1A("G1a", "aborted read", "g1a.yaml"),
    G1B("G1b", "intermediate read", "g1b.yaml"),
    G1C("G1c", "circular information flow", "g1c.yaml"),
    OTV("OTV", "observed transaction vanishes", "otv.yaml"),
    PMP("PMP", "predicate-many-preceders", "pmp.yaml"),
    P4("P4", "lost update", "p4.yaml"),
    G_SINGLE("G-single", "read skew", "g-single.yaml"),
    G2_ITEM("G2-item", "write skew", "g2-item.yaml"),
    G2("G2", "anti-dependency cycles over predicates", "g2.yaml");

    private final String code;
    private final String title;
    private final String resource;

    Anomaly(String code, String title, String resource) {
        this.code = code;
        this.title = title;
        this.resource = resource;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    String resource() {
        return "/dev/racelab/internal/isolation/" + resource;
    }

    public static List<Anomaly> all() {
        return List.of(values());
    }
}
