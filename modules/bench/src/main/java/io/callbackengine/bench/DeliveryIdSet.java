package io.callbackengine.bench;

import java.util.HashSet;
import java.util.Set;

/**
 * The delivery ids a receiver has seen in a whole run, for its balances and duplicates. A full run delivers millions:
 * kept as strings in a {@code ConcurrentHashMap} (as until 2026-12-02), each cost a string, a boxed count and a map
 * node (some 150 bytes) for the rest of the run, so the benchmark's own heap grew by hundreds of MiB, and the map's
 * doublings rehashed millions of entries on the receiver's event loop while arrivals waited. Here an id of the shape
 * every engine version writes ({@code msg_} and 32 hex digits) is two longs in an open-addressing table: no object
 * per arrival, 16 to 32 bytes each. Ids of any other shape are kept apart as strings. Thread-safe.
 */
final class DeliveryIdSet {

  private static final String PREFIX = "msg_";
  private static final int HEX_DIGITS = 32;
  private static final double MAX_LOAD = 0.6;

  /** Pairs (high, low); a pair of zeros is an empty slot, so the all-zero id is remembered apart. */
  private long[] slots;
  private int size;
  private boolean zeroSeen;
  private final Set<String> otherShapes = new HashSet<>();

  /** Room for 2.5 million ids before the first growth: a full run delivers under 2 million to one receiver. */
  DeliveryIdSet() {
    this(1 << 22);
  }

  /** @param capacity ids held before the first growth is about {@code capacity * 0.6}; a power of two */
  DeliveryIdSet(int capacity) {
    if (Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two, not " + capacity);
    }
    slots = new long[2 * capacity];
  }

  /** Adds {@code id}; answers whether it was new. */
  synchronized boolean add(String id) {
    long[] pair = parse(id);
    if (pair == null) {
      return otherShapes.add(id);
    }
    if (pair[0] == 0 && pair[1] == 0) {
      boolean added = !zeroSeen;
      zeroSeen = true;
      return added;
    }
    if (size + 1 > MAX_LOAD * (slots.length / 2)) {
      grow();
    }
    boolean added = insert(slots, pair[0], pair[1]);
    if (added) {
      size++;
    }
    return added;
  }

  synchronized boolean contains(String id) {
    long[] pair = parse(id);
    if (pair == null) {
      return otherShapes.contains(id);
    }
    if (pair[0] == 0 && pair[1] == 0) {
      return zeroSeen;
    }
    int mask = slots.length / 2 - 1;
    for (int i = index(pair[0], pair[1], mask); ; i = (i + 1) & mask) {
      long high = slots[2 * i];
      long low = slots[2 * i + 1];
      if (high == 0 && low == 0) {
        return false;
      }
      if (high == pair[0] && low == pair[1]) {
        return true;
      }
    }
  }

  synchronized int size() {
    return size + (zeroSeen ? 1 : 0) + otherShapes.size();
  }

  /** Inserts a non-zero pair by linear probing; answers false when it is there already. */
  private static boolean insert(long[] table, long high, long low) {
    int mask = table.length / 2 - 1;
    for (int i = index(high, low, mask); ; i = (i + 1) & mask) {
      long h = table[2 * i];
      long l = table[2 * i + 1];
      if (h == 0 && l == 0) {
        table[2 * i] = high;
        table[2 * i + 1] = low;
        return true;
      }
      if (h == high && l == low) {
        return false;
      }
    }
  }

  private void grow() {
    long[] bigger = new long[slots.length * 2];
    for (int i = 0; i < slots.length; i += 2) {
      if (slots[i] != 0 || slots[i + 1] != 0) {
        insert(bigger, slots[i], slots[i + 1]);
      }
    }
    slots = bigger;
  }

  /** The ids' random bits spread over the table (time-ordered ids share their first bits). */
  private static int index(long high, long low, int mask) {
    long h = high * 0x9E3779B97F4A7C15L ^ low;
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    return (int) h & mask;
  }

  /** The 128 bits of {@code msg_} and 32 hex digits, or null for an id of another shape. */
  private static long[] parse(String id) {
    if (id.length() != PREFIX.length() + HEX_DIGITS || !id.startsWith(PREFIX)) {
      return null;
    }
    long[] pair = new long[2];
    for (int i = 0; i < HEX_DIGITS; i++) {
      int digit = Character.digit(id.charAt(PREFIX.length() + i), 16);
      if (digit < 0) {
        return null;
      }
      pair[i / 16] = pair[i / 16] << 4 | digit;
    }
    return pair;
  }
}
