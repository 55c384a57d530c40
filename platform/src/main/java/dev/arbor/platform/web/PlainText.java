package dev.arbor.platform.web;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Text a person typed, fit to show to another: no control characters (NUL included; line breaks and tabs only where
 * {@code multiline}), no bidirectional overrides or marks that make a name read differently than it is stored
 * (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069), no line or paragraph separators, no byte-order marks and
 * no unpaired surrogates.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE_USE, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = PlainText.Validator.class)
public @interface PlainText {

    /** What a refusal says; also the message of checks that apply the rule without the annotation. */
    String MESSAGE = "must not contain control characters or bidirectional formatting";

    String message() default MESSAGE;

    /** Whether line breaks and tabs are allowed (descriptions, reasons). */
    boolean multiline() default false;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<PlainText, String> {

        private boolean multiline;

        @Override
        public void initialize(PlainText annotation) {
            multiline = annotation.multiline();
        }

        @Override
        public boolean isValid(String text, ConstraintValidatorContext context) {
            return text == null || isPlain(text, multiline);
        }

        /** The rule itself, for text that arrives other than in a validated body (query parameters, path variables). */
        public static boolean isPlain(String text, boolean multiline) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isSurrogate(c)) {
                    if (!Character.isHighSurrogate(c) || i + 1 == text.length()
                            || !Character.isLowSurrogate(text.charAt(i + 1))) {
                        return false;
                    }
                    i++;
                } else if (!allowed(c, multiline)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean allowed(char c, boolean multiline) {
            if (Character.isISOControl(c)) {
                return multiline && (c == '\n' || c == '\r' || c == '\t');
            }
            return !(c == '\u061C' || c == '\u200E' || c == '\u200F' || (c >= '\u202A' && c <= '\u202E')
                    || (c >= '\u2066' && c <= '\u2069') || c == '\u2028' || c == '\u2029' || c == '\uFEFF');
        }
    }
}
