package dev.wgcp.registry.api;

import dev.wgcp.kit.domain.Refusal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations in requests: ISO-8601 (PT1H) or short (90s, 30m, 12h, 7d). */
final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,7})([smhd])");

    private Durations() {
    }

    /** The duration {@code text} names; null for null. */
    static Duration parse(String field, String text) {
        if (text == null) {
            return null;
        }
        Matcher m = SHORT.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw Refusal.invalid(field + " '" + text + "' is not a duration; expected e.g. 30m, 12h, 7d or PT1H");
        }
    }
}
