package dev.racelab.internal.probe.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racelab.core.UsageException;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pieces a probe is built of: placeholders, JSON paths, exact decimals, status classes, --ok-when. */
class ProbePartsTest {
    private static JsonNode json(String text) {
        return Decimals.json(text).orElseThrow();
    }

    @Test
    void placeholdersInDoubleBracesNeverClashWithJson() {
        Template t = Template.parse("--body", "{\"n\": {{i}}, \"k\": \"{{uuid}}\", \"r\": {{rand:3-5}}, \"raw\": {\"a\": 1}}");
        assertThat(t.isConstant()).isFalse();
        Set<String> uuids = new HashSet<>();
        Set<Long> rands = new HashSet<>();
        for (int n = 1; n <= 200; n++) {
            JsonNode body = json(t.render(n));
            assertThat(body.get("n").asInt()).isEqualTo(n);
            assertThat(body.get("raw").get("a").asInt()).isEqualTo(1);
            uuids.add(body.get("k").asText());
            rands.add(body.get("r").asLong());
        }
        assertThat(uuids).hasSize(200);
        assertThat(rands).containsExactlyInAnyOrder(3L, 4L, 5L);
        assertThat(Template.parse("--body", "{\"amount\": 10}").isConstant()).isTrue();
        assertThatThrownBy(() -> Template.parse("--body", "{{x}}")).isInstanceOf(UsageException.class).hasMessageContaining("{{x}}");
    }

    @Test
    void pathsWalkObjectsAndArraysAndSayWhereTheyStop() {
        JsonNode doc = json("{\"data\": {\"items\": [{\"qty\": 7}, {\"qty\": \"8.50\"}]}, \"balance\": 1000.00}");
        assertThat(JsonPath.parse("--value", "data.items[0].qty").find(doc).asInt()).isEqualTo(7);
        assertThat(Decimals.of(JsonPath.parse("--value", "data.items[1].qty").find(doc))).contains(new BigDecimal("8.50"));
        assertThat(JsonPath.parse("--value", "data.items[2].qty").whyMissing(doc)).isEqualTo("data.items has no [2]");
        assertThat(JsonPath.parse("--value", "data.items.qty").whyMissing(doc)).isEqualTo("data.items is not an object");
        assertThat(JsonPath.parse("--value", "stock").whyMissing(doc)).isEqualTo("the answer has no stock");
        assertThat(JsonPath.parseBodyPath("--key-from", "body.user.id").find(json("{\"user\": {\"id\": 4}}")).asInt()).isEqualTo(4);
        assertThatThrownBy(() -> JsonPath.parse("--value", ".a")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> JsonPath.parse("--value", "a[x]")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> JsonPath.parseBodyPath("--key-from", "userId")).hasMessageContaining("must start with body.");
    }

    @Test
    void decimalsAreExactAndKeepTheirScale() {
        JsonNode doc = json("{\"a\": 1000.10, \"b\": \"1000.00\", \"c\": 12345678901234567890.01, \"d\": true, \"e\": \"ten\"}");
        assertThat(Decimals.of(doc.get("a")).orElseThrow().toPlainString()).isEqualTo("1000.10");
        assertThat(Decimals.of(doc.get("b")).orElseThrow().toPlainString()).isEqualTo("1000.00");
        assertThat(Decimals.of(doc.get("c")).orElseThrow().toPlainString()).isEqualTo("12345678901234567890.01");
        assertThat(Decimals.of(doc.get("d"))).isEmpty();
        assertThat(Decimals.of(doc.get("e"))).isEmpty();
        assertThat(Decimals.parse(" 42.5\n")).contains(new BigDecimal("42.5"));
        assertThat(Decimals.parse("NaN")).isEmpty();
        assertThat(Decimals.parse("0x10")).isEmpty();
    }

    @Test
    void statusClassesDefaultToLoadsAndCanBeChanged() {
        StatusClasses d = StatusClasses.DEFAULT;
        assertThat(d.kind(201)).isEqualTo(StatusClasses.Kind.OK);
        assertThat(d.kind(409)).isEqualTo(StatusClasses.Kind.REJECTED);
        assertThat(d.kind(422)).isEqualTo(StatusClasses.Kind.FAILED);
        assertThat(d.kind(503)).isEqualTo(StatusClasses.Kind.SERVER_ERROR);
        StatusClasses c = StatusClasses.parse("200-201, 204", "409,422");
        assertThat(c.kind(202)).isEqualTo(StatusClasses.Kind.FAILED);
        assertThat(c.kind(204)).isEqualTo(StatusClasses.Kind.OK);
        assertThat(c.kind(422)).isEqualTo(StatusClasses.Kind.REJECTED);
        assertThat(StatusClasses.parse("2xx", "none").kind(409)).isEqualTo(StatusClasses.Kind.FAILED);
        assertThatThrownBy(() -> StatusClasses.parse("2xx", "204")).hasMessageContaining("status 204 is in both");
    }

    @Test
    void okWhenComparesJsonValuesAndNumbersAsDecimals() {
        OkWhen ok = OkWhen.parse("body.success == true");
        assertThat(ok.test("{\"success\": true}")).isTrue();
        assertThat(ok.test("{\"success\": false}")).isFalse();
        assertThat(ok.test("{\"success\": \"true\"}")).isFalse();
        assertThat(ok.test("not json")).isFalse();
        assertThat(OkWhen.parse("body.code != 1").test("{\"code\": 1.0}")).isFalse();
        assertThat(OkWhen.parse("body.state == \"done\"").test("{\"state\": \"done\"}")).isTrue();
        assertThatThrownBy(() -> OkWhen.parse("body.x == yes")).hasMessageContaining("is not a JSON value");
    }

    @Test
    void theCheckBoundsUncertainRequestsAndCountsOversold() {
        ProbeCheck sum = new ProbeCheck(Expect.SUM, new BigDecimal("1000.00"), new BigDecimal("1030.00"), new BigDecimal("20"),
                BigDecimal.ZERO, new BigDecimal("20"), null, 2, -1, 0);
        assertThat(sum.pass()).isTrue();
        assertThat(sum.expectedMax()).isEqualByComparingTo("1040");
        ProbeCheck lost = new ProbeCheck(Expect.SUM, new BigDecimal("1000.00"), new BigDecimal("1010.00"), new BigDecimal("200"),
                BigDecimal.ZERO, BigDecimal.ZERO, null, 20, -1, 0);
        assertThat(lost.lost()).isEqualByComparingTo("190");
        ProbeCheck stock = new ProbeCheck(Expect.FLOOR, new BigDecimal("5"), new BigDecimal("-2"), new BigDecimal("-7"),
                BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, 7, -1, 0);
        assertThat(stock.oversold()).isEqualByComparingTo("2");
        assertThat(stock.lost()).isZero();
        assertThat(stock.pass()).isFalse();
    }

    /**
     * A number in the user's server's answer is outside input too: a balance of 1e300000000
     * is a bad value within a second, quoted short, never a number to subtract from.
     */
    @Test
    void aHugeNumberInTheReadsAnswerIsABadValueWithinASecond() {
        ProbeSpec spec = ProbeSpec.fromFlags("http://127.0.0.1:1", "POST /deposit/1", null, java.util.List.of(), "GET /balance/1",
                "balance", "sum", BigDecimal.TEN, null, null, null, null, StatusClasses.DEFAULT_OK, StatusClasses.DEFAULT_REJECTED, java.util.List.of(), 1, 1, 1_000);
        ProbeSpec whole = ProbeSpec.fromFlags("http://127.0.0.1:1", "POST /deposit/1", null, java.util.List.of(), "GET /balance/1",
                null, "sum", BigDecimal.TEN, null, null, null, null, StatusClasses.DEFAULT_OK, StatusClasses.DEFAULT_REJECTED, java.util.List.of(), 1, 1, 1_000);
        for (String n : java.util.List.of("1e300000000", "-1e300000000", "1e-3000000", "1E+2147483647", "9".repeat(900))) {
            for (String answer : java.util.List.of("{\"balance\": " + n + "}", "{\"balance\": \"" + n + "\"}")) {
                Throwable bad = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(1),
                        () -> org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> Prober.valueIn(spec, new Answer(200, answer))));
                assertThat(bad.getMessage()).contains("balance").hasSizeLessThan(400);
            }
            Throwable bad = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(1),
                    () -> org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> Prober.valueIn(whole, new Answer(200, n))));
            assertThat(bad.getMessage()).hasSizeLessThan(400);
        }
    }
}
