package dev.racelab.examples.shop;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.resilience.annotation.Retryable;
import org.springframework.stereotype.Service;

/**
 * Going off call, fixed: through {@link OnCallService}'s proxy, so SERIALIZABLE applies, and run again after a
 * serialization failure or deadlock; the retry sees the other doctor off call and refuses.
 */
@Service
public class RetryingOnCallService {
    private final OnCallService onCall;

    public RetryingOnCallService(OnCallService onCall) {
        this.onCall = onCall;
    }

    @Retryable(includes = ConcurrencyFailureException.class, maxRetries = 10, delay = 1, jitter = 0)
    public boolean goOffCall(long doctor) {
        return onCall.goOffCallSerializable(doctor);
    }
}
