package dev.gantry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code *} stands for any run of characters, the empty one included; everything else is literal. */
class GlobTest {

    @ParameterizedTest(name = "''{0}'' matches ''{1}''")
    @CsvSource({
            "*, gpt-4o",
            "*, ''",
            "gpt-*, gpt-4o",
            "gpt-*, gpt-",
            "*-mini, gpt-4o-mini",
            "*-mini, -mini",
            "claude-*-4-5, claude-sonnet-4-5",
            "a*b*c, abc",
            "a*b*c, aXXbYYc",
            "a*b*c, abbbc",
            "a*b*c, acbc",
            "a*a, aa",
            "**, x",
            "a**b, ab",
            "gpt-4o, gpt-4o",
            "qwen/Qwen3-*, qwen/Qwen3-Coder"})
    void matches(String pattern, String name) {
        assertThat(Glob.matches(pattern, name)).isTrue();
    }

    @ParameterizedTest(name = "''{0}'' does not match ''{1}''")
    @CsvSource({
            "gpt-*, gpt",
            "gpt-*, xgpt-4o",
            "gpt-*, GPT-4o",
            "*-mini, gpt-4o-mini-2",
            "*-mini, mini",
            "claude-*-4-5, claude-4-5",
            "a*b*c, ab",
            "a*b*c, acb",
            "a*b*c, bc",
            "a*b*c, abcd",
            "a*a, a",
            "ab*ba, aba",
            "gpt-4o, gpt-4o-mini",
            "gpt-4o, gpt-4",
            "gpt-4o, GPT-4o",
            "gpt.4o, gpt-4o"})
    void doesNotMatch(String pattern, String name) {
        assertThat(Glob.matches(pattern, name)).isFalse();
    }
}
