package io.callbackengine.domain.time;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in configuration: a whole number followed by a unit, {@code 500ms}, {@code 5s},
 * {@code 5m}, {@code 2h} or {@code 1d}. Units are lower case, so {@code m} is always minutes.
 */
public final class DurationText {

  private static final String ACCEPTED = "a whole number with a unit: ms, s, m, h or d (e.g. 500ms, 5s, 5m, 2h, 1d)";
  private static final Pattern FORM = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  /** Largest first, so {@link #format} picks the largest unit that divides the duration exactly. */
  private static final List<Unit> UNITS = List.of(
      new Unit("d", ChronoUnit.DAYS),
      new Unit("h", ChronoUnit.HOURS),
      new Unit("m", ChronoUnit.MINUTES),
      new Unit("s", ChronoUnit.SECONDS),
      new Unit("ms", ChronoUnit.MILLIS));

  private record Unit(String symbol, ChronoUnit unit) {
  }

  private DurationText() {
  }

  /**
   * @param text such as {@code 5m}; surrounding whitespace is ignored
   * @throws IllegalArgumentException naming the text and the accepted forms when it is not a duration
   */
  public static Duration parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration: expected " + ACCEPTED);
    }
    ChronoUnit unit = UNITS.stream().filter(u -> u.symbol().equals(m.group(2))).findFirst().orElseThrow().unit();
    try {
      return Duration.of(Long.parseLong(m.group(1)), unit);
    } catch (NumberFormatException | ArithmeticException tooLarge) {
      throw new IllegalArgumentException("'" + text + "' is too long a duration", tooLarge);
    }
  }

  /** Reads a comma-separated list such as {@code 5s,5m,30m}; blank text is an empty list. */
  public static List<Duration> parseList(String commaSeparated) {
    if (commaSeparated == null || commaSeparated.isBlank()) {
      return List.of();
    }
    return Arrays.stream(commaSeparated.split(",", -1)).map(DurationText::parse).toList();
  }

  /**
   * Writes the duration in the largest unit that holds it exactly: 300 s is {@code 5m}, 90 s is
   * {@code 90s}, zero is {@code 0s}. The result parses back to the same duration.
   *
   * @throws IllegalArgumentException for negative durations and those not a whole number of milliseconds
   */
  public static String format(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a negative duration has no text form: " + duration);
    }
    if (duration.isZero()) {
      return "0s";
    }
    for (Unit u : UNITS) {
      Duration one = u.unit().getDuration();
      if (divides(one, duration)) {
        return count(one, duration) + u.symbol();
      }
    }
    throw new IllegalArgumentException(duration + " is not a whole number of milliseconds");
  }

  /**
   * How many {@code one}s make {@code duration}, which {@code one} divides. In long arithmetic: Duration.dividedBy
   * goes through BigDecimal, and a profile's answer formats a dozen durations (its policy), which made that division
   * a fifth of the CPU a {@code GET profile} took.
   */
  private static long count(Duration one, Duration duration) {
    if (one.getNano() == 0) {
      return duration.getSeconds() / one.getSeconds();
    }
    // Past Long.MAX_VALUE milliseconds (292 million years) this throws, as dividedBy does.
    long perSecond = 1_000_000_000L / one.getNano();
    return Math.addExact(Math.multiplyExact(duration.getSeconds(), perSecond), duration.getNano() / one.getNano());
  }

  // Seconds and nanos apart, because toNanos() overflows for durations of a few centuries.
  private static boolean divides(Duration one, Duration duration) {
    return one.getNano() == 0
        ? duration.getNano() == 0 && duration.getSeconds() % one.getSeconds() == 0
        : duration.getNano() % one.getNano() == 0; // a sub-second unit divides every whole second
  }
}
