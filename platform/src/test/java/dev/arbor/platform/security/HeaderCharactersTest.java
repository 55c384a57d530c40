package dev.arbor.platform.security;

import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The loop accepts exactly what Spring Security's own expressions accept, for every code point. */
class HeaderCharactersTest {

    private static final Pattern NAME = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern VALUE = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void agreesWithSpringSecuritysExpressionsOnEveryCodePoint() {
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            String text = "a" + Character.toString(codePoint) + "b";
            assertThat(HeaderCharacters.allowed(text, false)).as("name U+%04X", codePoint)
                                                              .isEqualTo(NAME.matcher(text).matches());
            assertThat(HeaderCharacters.allowed(text, true)).as("value U+%04X", codePoint)
                                                             .isEqualTo(VALUE.matcher(text).matches());
        }
    }

    @Test
    void acceptsABearerTokenAndRejectsALineBreak() {
        assertThat(HeaderCharacters.allowed("Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2ln", true)).isTrue();
        assertThat(HeaderCharacters.allowed("value\r\nX-Injected: yes", true)).isFalse();
        assertThat(HeaderCharacters.allowed("tab\there", false)).isFalse();
    }
}
