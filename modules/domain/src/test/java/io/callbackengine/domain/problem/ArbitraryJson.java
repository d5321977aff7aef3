package io.callbackengine.domain.problem;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of the JSON a client may send: every type the Vert.x parser yields (strings, integers of every
 * width, decimals, booleans, null, objects, arrays), with strings that hold control characters, lone surrogates,
 * characters outside the BMP, JSON text and placeholder brackets.
 *
 * <p>Every generated value has been through JSON text and back ({@link #parsed}), so it holds exactly the Java
 * types a request body read by Vert.x holds, never a type only Java code could put in a {@code JsonObject}.
 */
public final class ArbitraryJson {

  /** Pieces that mean something to one parser or another: brackets, escapes, URL and header syntax. */
  private static final List<String> TOKENS = List.of("<", ">", "<x>", "<a.b[0]>", "<1x>", "< x>", "\r\n", "\n",
      "\u0000", "{", "}", "[", "]", "\"", "\\", "%", "%2", "%25", "/", ":", "@", ".", "?", "#", "&", "=", "+", " ",
      "\t", "0x", "::", "title", "url", "body", "sms", "GET", "null", "{}", "[]");

  private static final Arbitrary<String> STRINGS = strings(8);
  private static final Arbitrary<String> KEYS = strings(3);
  private static final Arbitrary<Object> VALUES = values(KEYS, 3);
  private static final Arbitrary<JsonObject> OBJECTS = objects(KEYS, values(KEYS, 2));

  private ArbitraryJson() {
  }

  /** Short text of ASCII, control characters, any UTF-16 unit (lone surrogates too), astral characters and tokens. */
  public static Arbitrary<String> strings() {
    return STRINGS;
  }

  /** As {@link #strings()}, made of at most {@code maxPieces} pieces. */
  public static Arbitrary<String> strings(int maxPieces) {
    Arbitrary<String> piece = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(6)),
        Tuple.of(3, Arbitraries.chars().range(' ', '~').map(String::valueOf)),
        Tuple.of(2, Arbitraries.chars().range('\u0000', '\u001f').map(String::valueOf)),
        Tuple.of(2, Arbitraries.chars().all().map(String::valueOf)),
        Tuple.of(1, Arbitraries.chars().range('\ud800', '\udfff').map(String::valueOf)),
        Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF).map(Character::toString)),
        Tuple.of(3, Arbitraries.of(TOKENS)));
    return piece.list().ofMaxSize(maxPieces).map(pieces -> String.join("", pieces));
  }

  /** Numbers as the parser yields them: Integer, Long, BigInteger, Double (finite). */
  public static Arbitrary<Object> numbers() {
    return Arbitraries.oneOf(
        Arbitraries.integers().map(Object.class::cast),
        Arbitraries.longs().map(Object.class::cast),
        Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30))
            .map(Object.class::cast),
        Arbitraries.doubles().map(Object.class::cast),
        Arbitraries.bigDecimals().ofScale(6).map(BigDecimal::doubleValue).map(Object.class::cast));
  }

  /** A JSON string, number, boolean or null. */
  public static Arbitrary<Object> scalars() {
    return scalars(strings());
  }

  /** A JSON number, boolean, null, or a string from {@code strings}. */
  public static Arbitrary<Object> scalars(Arbitrary<String> strings) {
    return Arbitraries.frequencyOf(
        Tuple.of(4, strings.map(Object.class::cast)),
        Tuple.of(2, numbers()),
        Tuple.of(1, Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map(Object.class::cast)),
        Tuple.of(1, Arbitraries.just(null)));
  }

  /** Any JSON value nested at most {@code depth} levels, objects keyed by {@code keys}. */
  public static Arbitrary<Object> values(Arbitrary<String> keys, int depth) {
    return values(keys, strings(), depth);
  }

  /** Any JSON value nested at most {@code depth} levels, keys from {@code keys}, strings from {@code strings}. */
  public static Arbitrary<Object> values(Arbitrary<String> keys, Arbitrary<String> strings, int depth) {
    if (depth <= 0) {
      return scalars(strings);
    }
    Arbitrary<Object> inner = values(keys, strings, depth - 1);
    return Arbitraries.frequencyOf(
        Tuple.of(4, scalars(strings)),
        Tuple.of(1, objects(keys, inner).map(Object.class::cast)),
        Tuple.of(1, arrays(inner).map(Object.class::cast)));
  }

  /** Any JSON value up to three levels deep, with random keys. */
  public static Arbitrary<Object> values() {
    return VALUES;
  }

  /** A JSON object of up to four members, random keys. */
  public static Arbitrary<JsonObject> objects() {
    return OBJECTS;
  }

  /** A JSON object of up to four members taking keys and values from the given arbitraries. */
  public static Arbitrary<JsonObject> objects(Arbitrary<String> keys, Arbitrary<Object> values) {
    return Combinators.combine(keys, values).as(Tuple::of).list().ofMaxSize(4).map(members -> {
      JsonObject object = new JsonObject();
      members.forEach(member -> object.put(member.get1(), member.get2()));
      return (JsonObject) parsed(object);
    });
  }

  /** A JSON array of up to four elements. */
  public static Arbitrary<JsonArray> arrays(Arbitrary<Object> elements) {
    return elements.list().ofMaxSize(4).map(list -> (JsonArray) parsed(new JsonArray(list)));
  }

  /** The value as Vert.x reads it back from its JSON text: the types an HTTP request body holds. */
  public static Object parsed(Object value) {
    return new JsonArray(new JsonArray().add(value).encode()).getValue(0);
  }
}
