package dev.racelab.internal.json;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.racelab.retry.RetryPolicy;
import java.time.Duration;

/** The one JSON mapper: records in and out, durations as ISO-8601 text. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .addMixIn(RetryPolicy.class, RetryPolicyJson.class);

    private Json() {
    }

    /**
     * How a {@link RetryPolicy} (a class with a builder, kept free of JSON annotations) goes out and
     * comes back, as the record it was: its four values, in order, through its checking constructor.
     */
    @JsonPropertyOrder({"maxAttempts", "baseDelay", "maxDelay", "deadline"})
    @JsonAutoDetect(getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
    private abstract static class RetryPolicyJson {
        @JsonCreator
        RetryPolicyJson(@JsonProperty("maxAttempts") int maxAttempts, @JsonProperty("baseDelay") Duration baseDelay,
                        @JsonProperty("maxDelay") Duration maxDelay, @JsonProperty("deadline") Duration deadline) {
        }

        @JsonProperty("maxAttempts")
        abstract int maxAttempts();

        @JsonProperty("baseDelay")
        abstract Duration baseDelay();

        @JsonProperty("maxDelay")
        abstract Duration maxDelay();

        @JsonProperty("deadline")
        abstract Duration deadline();
    }
}
