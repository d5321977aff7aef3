package io.callbackengine.domain.retry;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads an HTTP {@code Retry-After} header (RFC 9110 §10.2.3): either delay-seconds, a non-negative whole
 * number such as {@code 120}, or an IMF-fixdate such as {@code Wed, 21 Oct 2015 07:28:00 GMT}.
 *
 * <p>The obsolete RFC 850 and asctime date forms are not read; a receiver sending them is treated as
 * sending nothing, and the retry schedule applies unchanged.
 */
public final class RetryAfter {

  private RetryAfter() {
  }

  /**
   * @param headerValue the header as received, possibly null
   * @param now         the instant a date is measured from
   * @return how long the receiver asks to wait; {@link Duration#ZERO} for a date already past; empty for
   *     a missing, negative or unreadable value
   */
  public static Optional<Duration> parse(String headerValue, Instant now) {
    if (headerValue == null || headerValue.isBlank()) {
      return Optional.empty();
    }
    String value = headerValue.strip();
    if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
      } catch (NumberFormatException tooLarge) {
        return Optional.empty();
      }
    }
    try {
      Instant until = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Optional.of(until.isAfter(now) ? Duration.between(now, until) : Duration.ZERO);
    } catch (DateTimeParseException unreadable) {
      return Optional.empty();
    }
  }
}
