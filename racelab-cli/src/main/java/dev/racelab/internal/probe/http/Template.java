package dev.racelab.internal.probe.http;

import dev.racelab.core.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A --body or --header value with placeholders in double braces, so they never clash with
 * JSON's single ones: {@code {{i}}} the request's number (1..N), {@code {{uuid}}} a random
 * UUID, {@code {{rand:1-100}}} a random whole number in that range, both ends included.
 * Parsed once; rendering a request is a walk over the parts.
 */
public final class Template {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]*)}}");
    private static final Pattern RAND = Pattern.compile("rand:(-?[0-9]{1,18})-(-?[0-9]{1,18})");

    private sealed interface Part permits Literal, Index, Uuid, Rand {
    }

    private record Literal(String text) implements Part {
    }

    private record Index() implements Part {
    }

    private record Uuid() implements Part {
    }

    private record Rand(long low, long high) implements Part {
    }

    private final String source;
    private final List<Part> parts;

    private Template(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    /** Parses {@code text}; {@code flag} names it in errors ("--body", "--header Idempotency-Key"). */
    public static Template parse(String flag, String text) {
        List<Part> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        int at = 0;
        while (m.find()) {
            if (m.start() > at) parts.add(new Literal(text.substring(at, m.start())));
            parts.add(placeholder(flag, m.group(1).strip()));
            at = m.end();
        }
        if (at < text.length()) parts.add(new Literal(text.substring(at)));
        return new Template(text, parts);
    }

    private static Part placeholder(String flag, String name) {
        if (name.equals("i")) return new Index();
        if (name.equals("uuid")) return new Uuid();
        Matcher rand = RAND.matcher(name);
        if (rand.matches()) {
            long low = Long.parseLong(rand.group(1));
            long high = Long.parseLong(rand.group(2));
            if (low > high) throw new UsageException(flag + ": {{" + name + "}} has its range the wrong way round");
            if (high - low < 0 || high - low == Long.MAX_VALUE) throw new UsageException(flag + ": {{" + name + "}} is too wide a range");
            return new Rand(low, high);
        }
        throw new UsageException(flag + ": unknown placeholder {{" + name + "}}; use {{i}}, {{uuid}} or {{rand:1-100}}");
    }

    /** True when every request gets the same text: it can then be rendered once. */
    public boolean isConstant() {
        return parts.stream().allMatch(p -> p instanceof Literal);
    }

    /** Whether {{rand:..}} or {{uuid}} make requests differ beyond their number. */
    public boolean isRandom() {
        return parts.stream().anyMatch(p -> p instanceof Rand || p instanceof Uuid);
    }

    public boolean hasIndex() {
        return parts.stream().anyMatch(p -> p instanceof Index);
    }

    /** The text for request number {@code n} (1..N). */
    public String render(int n) {
        if (parts.size() == 1 && parts.getFirst() instanceof Literal l) return l.text();
        StringBuilder out = new StringBuilder(source.length() + 16);
        for (Part p : parts) {
            switch (p) {
                case Literal l -> out.append(l.text());
                case Index i -> out.append(n);
                case Uuid u -> out.append(UUID.randomUUID());
                case Rand r -> out.append(ThreadLocalRandom.current().nextLong(r.low(), r.high() + 1));
            }
        }
        return out.toString();
    }

    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return source;
    }
}
