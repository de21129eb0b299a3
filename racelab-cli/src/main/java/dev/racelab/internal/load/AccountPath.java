package dev.racelab.internal.load;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the account a deposit endpoint writes to: /deposit-NAME/ID or /accounts/ID/deposits. */
final class AccountPath {
    private static final Pattern SEED = Pattern.compile("/deposit-[A-Za-z0-9_-]+/([0-9]{1,10})/?");
    private static final Pattern CLEAN = Pattern.compile("/accounts/([0-9]{1,10})/deposits/?");

    private AccountPath() {
    }

    static OptionalInt accountIn(String endpoint) {
        int query = endpoint.indexOf('?');
        String path = query < 0 ? endpoint : endpoint.substring(0, query);
        for (Pattern p : new Pattern[] {SEED, CLEAN}) {
            Matcher m = p.matcher(path);
            if (m.matches()) {
                long id = Long.parseLong(m.group(1));
                return id >= 1 && id <= Integer.MAX_VALUE ? OptionalInt.of((int) id) : OptionalInt.empty();
            }
        }
        return OptionalInt.empty();
    }
}
