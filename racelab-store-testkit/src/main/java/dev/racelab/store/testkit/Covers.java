package dev.racelab.store.testkit;

import dev.racelab.store.Capability;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The capabilities a role contract proves: a store's test includes it exactly when the store declares them. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Covers {
    Capability[] value();
}
