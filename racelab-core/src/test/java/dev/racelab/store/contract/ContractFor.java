package dev.racelab.store.contract;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks the test class of one registered store, whose nested classes are the role contracts of that store. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ContractFor {
    /** The registered store's name. */
    String value();
}
