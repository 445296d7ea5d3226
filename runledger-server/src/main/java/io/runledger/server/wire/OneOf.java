package io.runledger.server.wire;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A text field that holds one of a fixed set of values: the wire names of an enum
 * ({@code @OneOf(of = OnConflict.class)}, see {@link WireNames}) or the values listed.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD})
public @interface OneOf {
    /** The values, when they are not an enum's. */
    String[] value() default {};

    /** The enum whose wire names are the values. */
    Class<? extends Enum<?>> of() default None.class;

    /** No enum: {@link #value()} lists the values. */
    enum None {
    }
}
