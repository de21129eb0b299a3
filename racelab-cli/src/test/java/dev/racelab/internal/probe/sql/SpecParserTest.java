package dev.racelab.internal.probe.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.core.UsageException;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecParserTest {
    private static final String SESSIONS = """
            sessions:
              s1:
                steps:
                  read: SELECT 1 AS v
                  write: SELECT 2 AS v
              s2:
                steps:
                  read: SELECT 3 AS v
            check:
              query: SELECT 1
              expect: 1
            """;

    @Test
    void everyInterleavingKeepsEachSessionsOrder() {
        ProbeSpec spec = SpecParser.parse("x.yaml", SESSIONS);
        assertThat(spec.schedules()).hasSize(3);
        assertThat(spec.schedules().stream().map(s -> String.join(" ", s.stream().map(ProbeSpec.Step::id).toList())))
                .containsExactly("s1.read s1.write s2.read", "s1.read s2.read s1.write", "s2.read s1.read s1.write");
    }

    @Test
    void permutationsNameStepsBySessionOrByAUniqueName() {
        ProbeSpec spec = SpecParser.parse("x.yaml", SESSIONS + "permutations:\n  - s2.read s1.read write\n  - [s1.read, s1.write, s2.read]\n");
        assertThat(spec.schedules()).hasSize(2);
        assertThat(spec.schedules().get(0).stream().map(ProbeSpec.Step::id)).containsExactly("s2.read", "s1.read", "s1.write");
    }

    @Test
    void yamlThatDoesNotParseNamesLineAndColumn() {
        assertThatThrownBy(() -> SpecParser.parse("bad.yaml", "sessions:\n  s1: [unclosed\n"))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("bad.yaml:3:1: not valid YAML");
        assertThatThrownBy(() -> SpecParser.parse("bad.yaml", "sessions:\n  s1:\n    isolation: snapshot\n  s2:\n    steps: {a: SELECT 1}\n"))
                .hasMessage("bad.yaml:3:16: session s1: unknown isolation 'snapshot'; choose read uncommitted, read committed,"
                        + " repeatable read or serializable");
    }

    @Test
    void anUnknownSessionOrStepInAPermutationIsRefusedWithItsPlace() {
        assertThatThrownBy(() -> SpecParser.parse("p.yaml", SESSIONS + "permutations:\n  - s1.read s3.read\n"))
                .isInstanceOf(UsageException.class)
                .hasMessage("p.yaml:13:5: permutation 1: unknown session 's3' in s3.read; the sessions are s1, s2");
        assertThatThrownBy(() -> SpecParser.parse("p.yaml", SESSIONS + "permutations:\n  - [s1.read, s2.wrote]\n"))
                .hasMessage("p.yaml:13:15: permutation 1: session s2 has no step 'wrote'; its steps are read");
        assertThatThrownBy(() -> SpecParser.parse("p.yaml", SESSIONS + "permutations:\n  - read\n"))
                .hasMessageContaining("step 'read' is in more than one session");
    }

    @Test
    void aBadCheckIsRefused() {
        assertThatThrownBy(() -> SpecParser.parse("c.yaml", SESSIONS.replace("expect: 1", "expect: balance = = 3")))
                .hasMessageStartingWith("c.yaml:11:11: check.expect: unexpected '='");
        assertThatThrownBy(() -> SpecParser.parse("c.yaml", SESSIONS.replace("expect: 1", "expect: s9.read.v = 3")))
                .hasMessageContaining("s9.read.v names no session");
        assertThatThrownBy(() -> SpecParser.parse("c.yaml", SESSIONS.replace("steps:\n      read: SELECT 3 AS v\n", "steps: {}\n")))
                .hasMessageContaining("session s2 has no steps");
    }

    @Test
    void variablesBecomeParametersButCastsAndStringsStay() {
        SqlText.Bound b = SqlText.bind("UPDATE t SET v = :Balance + 10, s = ':no', c = x::int WHERE id = :id");
        assertThat(b.sql()).isEqualTo("UPDATE t SET v = ? + 10, s = ':no', c = x::int WHERE id = ?");
        assertThat(b.variables()).containsExactly("balance", "id");
        assertThat(SqlText.split("BEGIN; SELECT ';' AS semi; COMMIT;")).containsExactly("BEGIN", "SELECT ';' AS semi", "COMMIT");
    }

    @Test
    void expressionsCompareDecimalsExactlyAndTreatAMissingReadAsNotSeen() {
        Map<String, Object> values = new java.util.HashMap<>(Map.of("balance", new BigDecimal("1010.00"), "committed", BigDecimal.valueOf(2),
                "sum(balance)", new BigDecimal("3000"), "likes", 3L, "count", 3L));
        assertThat(CheckExpression.parse("balance = 1000 + 10 * committed").evaluate(values)).isEqualTo(false);
        assertThat(CheckExpression.parse("balance = 1010").evaluate(values)).isEqualTo(true);
        assertThat(CheckExpression.parse("sum(balance) = 3000").evaluate(values)).isEqualTo(true);
        assertThat(CheckExpression.parse("likes = count(*)").evaluate(values)).isEqualTo(true); // PostgreSQL labels count(*) "count"
        assertThat(CheckExpression.parse("s2.read.value <> 101").evaluate(values)).isEqualTo(true);
        assertThat(CheckExpression.parse("coalesce(s2.read.value, 7) = 7 and not (likes > 3)").evaluate(values)).isEqualTo(true);
        assertThatThrownBy(() -> CheckExpression.parse("balanse = 1").evaluate(values))
                .isInstanceOf(CheckExpression.UnknownName.class).hasMessageContaining("'balanse'");
    }
}
