package io.callbackengine.store;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keys of the log tables: uuids in the UUIDv7 layout (48 bits of Unix milliseconds, then random bits), so that new
 * keys sort after old ones and index inserts land on the right-most pages. The API shows them as a prefix and 32
 * hex digits ({@code evt_...}, {@code msg_...}), the same shape random ids had before, which stay valid.
 */
public final class TimeOrderedIds {

  public static final String EVENT = "evt_";
  public static final String DELIVERY = "msg_";

  private TimeOrderedIds() {
  }

  /** A new id: time-ordered to the millisecond, random within it (not a secret: lookups are scoped to an account). */
  public static UUID next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long millis = System.currentTimeMillis();
    long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low);
  }

  public static String format(String prefix, UUID id) {
    return prefix + id.toString().replace("-", "");
  }

  /** The uuid of an id shown as {@code prefix} + 32 hex digits; empty for anything else, which names nothing. */
  public static Optional<UUID> parse(String prefix, String text) {
    if (text == null || text.length() != prefix.length() + 32 || !text.startsWith(prefix)) {
      return Optional.empty();
    }
    for (int i = prefix.length(); i < text.length(); i++) {
      if (Character.digit(text.charAt(i), 16) < 0) {
        return Optional.empty();
      }
    }
    String hex = text.substring(prefix.length());
    return Optional.of(new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16),
        Long.parseUnsignedLong(hex.substring(16), 16)));
  }
}
