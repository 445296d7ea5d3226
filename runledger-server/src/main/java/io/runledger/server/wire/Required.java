package io.runledger.server.wire;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A request field the server refuses the body without (400 {@code invalid_argument}). It only
 * documents the rule; the check itself stays where the field is read. Answers need no marker:
 * every field of an answer is always written unless it is {@code @JsonInclude(NON_NULL)}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD})
public @interface Required {
}
