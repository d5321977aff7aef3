package io.callbackengine.bench;

import java.util.HashSet;
import java.util.Set;

/**
 * The delivery ids a receiver has seen in a whole run, for its balances and duplicates. A full run delivers millions:
 * kept as strings in a {@code ConcurrentHashMap} (as until 2026-12-02), each cost a string, a boxed count and a map
 * node (some 150 bytes) for the rest of the run, so the benchmark's own live heap grew to 200-350 MiB and its young
 * pauses, which hold back arrivals and publishes alike, to 50-102 ms. Here an id of the shape every engine version
 * writes ({@code msg_} and 32 lower-case hex digits) is two longs in an open-addressing table: no object per arrival,
 * 16 to 32 bytes each. Ids of any other shape are kept apart as strings. Thread-safe.
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
    return !empty(slots, probe(slots, pair[0], pair[1]));
  }

  synchronized int size() {
    return size + (zeroSeen ? 1 : 0) + otherShapes.size();
  }

  /** Inserts a non-zero pair; answers false when it is there already. */
  private static boolean insert(long[] table, long high, long low) {
    int slot = probe(table, high, low);
    if (!empty(table, slot)) {
      return false;
    }
    table[2 * slot] = high;
    table[2 * slot + 1] = low;
    return true;
  }

  /** The slot holding the non-zero pair, or the empty slot where linear probing for it ends. */
  private static int probe(long[] table, long high, long low) {
    int mask = table.length / 2 - 1;
    int i = index(high, low, mask);
    while (!empty(table, i) && (table[2 * i] != high || table[2 * i + 1] != low)) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private static boolean empty(long[] table, int slot) {
    return table[2 * slot] == 0 && table[2 * slot + 1] == 0;
  }

  private void grow() {
    long[] bigger = new long[slots.length * 2];
    for (int slot = 0; slot < slots.length / 2; slot++) {
      if (!empty(slots, slot)) {
        insert(bigger, slots[2 * slot], slots[2 * slot + 1]);
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

  /** The 128 bits of {@code msg_} and 32 lower-case hex digits, or null for an id of another shape. */
  private static long[] parse(String id) {
    if (id.length() != PREFIX.length() + HEX_DIGITS || !id.startsWith(PREFIX)) {
      return null;
    }
    long[] pair = new long[2];
    for (int i = 0; i < HEX_DIGITS; i++) {
      char c = id.charAt(PREFIX.length() + i);
      int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (digit < 0) {
        return null;
      }
      pair[i / 16] = pair[i / 16] << 4 | digit;
    }
    return pair;
  }
}
