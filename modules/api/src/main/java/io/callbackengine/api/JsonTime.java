package io.callbackengine.api;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Instants as the API shows them: ISO-8601 UTC with milliseconds and {@code Z}, e.g. {@code 2023-04-04T05:42:59.000Z}. */
public final class JsonTime {

  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private JsonTime() {
  }

  public static String format(Instant instant) {
    return instant == null ? null : FORMAT.format(instant);
  }
}
