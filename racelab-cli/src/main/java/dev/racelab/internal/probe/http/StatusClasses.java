package dev.racelab.internal.probe.http;

import dev.racelab.core.UsageException;
import java.util.BitSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which statuses acknowledge a request ({@code --ok}) and which refuse it with the client
 * told ({@code --rejected}). Every other 4xx (and a 1xx or 3xx) is a failure the client was
 * told about too; a 5xx promises nothing, so it may have landed, like no answer at all.
 * The defaults are {@code racelab load}'s: 2xx acknowledged, 409 rejected.
 */
public final class StatusClasses {
    private static final Pattern ITEM = Pattern.compile("([1-5])xx|([1-5][0-9]{2})(?:-([1-5][0-9]{2}))?");
    public static final String DEFAULT_OK = "2xx";
    public static final String DEFAULT_REJECTED = "409";
    public static final StatusClasses DEFAULT = parse(DEFAULT_OK, DEFAULT_REJECTED);

    /** What an answer's status means for the request. */
    public enum Kind { OK, REJECTED, FAILED, SERVER_ERROR }

    private final BitSet ok;
    private final BitSet rejected;
    private final String okText;
    private final String rejectedText;

    private StatusClasses(BitSet ok, BitSet rejected, String okText, String rejectedText) {
        this.ok = ok;
        this.rejected = rejected;
        this.okText = okText;
        this.rejectedText = rejectedText;
    }

    /** From the flags' text: "2xx", "200,201", "200-204"; an empty --rejected means none. */
    public static StatusClasses parse(String okText, String rejectedText) {
        BitSet ok = set("--ok", okText);
        if (ok.isEmpty()) throw new UsageException("--ok must name at least one status, e.g. 2xx");
        BitSet rejected = set("--rejected", rejectedText);
        BitSet both = (BitSet) ok.clone();
        both.and(rejected);
        if (!both.isEmpty()) throw new UsageException("status " + both.nextSetBit(0) + " is in both --ok and --rejected");
        return new StatusClasses(ok, rejected, okText.strip(), rejectedText.strip());
    }

    private static BitSet set(String flag, String text) {
        BitSet set = new BitSet(600);
        if (text == null || text.isBlank() || text.strip().equalsIgnoreCase("none")) return set;
        for (String item : text.split(",")) {
            Matcher m = ITEM.matcher(item.strip().toLowerCase(java.util.Locale.ROOT));
            if (!m.matches()) {
                throw new UsageException(flag + ": '" + item.strip() + "' is not a status, a range or a class; write 2xx, 409 or 200-204");
            }
            if (m.group(1) != null) {
                int c = Integer.parseInt(m.group(1)) * 100;
                set.set(c, c + 100);
            } else {
                int low = Integer.parseInt(m.group(2));
                int high = m.group(3) == null ? low : Integer.parseInt(m.group(3));
                if (high < low) throw new UsageException(flag + ": the range " + item.strip() + " is the wrong way round");
                set.set(low, high + 1);
            }
        }
        return set;
    }

    public Kind kind(int status) {
        if (status >= 0 && status < 600 && ok.get(status)) return Kind.OK;
        if (status >= 0 && status < 600 && rejected.get(status)) return Kind.REJECTED;
        return status / 100 == 5 ? Kind.SERVER_ERROR : Kind.FAILED;
    }

    public boolean isOk(int status) {
        return kind(status) == Kind.OK;
    }

    public boolean isRejected(int status) {
        return kind(status) == Kind.REJECTED;
    }

    public String okText() {
        return okText;
    }

    /** "409", "409, 422", or "" when nothing is a rejection. */
    public String rejectedText() {
        return rejectedText.isEmpty() ? "" : String.join(", ", rejectedText.split("\\s*,\\s*"));
    }
}
