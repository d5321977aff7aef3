package io.callbackengine.domain.profile;

import io.callbackengine.domain.crypto.CipherAlgorithm;
import io.callbackengine.domain.problem.ArbitraryJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of valid profile requests, built from the rules of API.md §4, together with the
 * {@link ProfileSpec} each must produce, and of the valid parts they are made of.
 */
final class ArbitraryProfiles {

  /** A create request and the spec it must turn into. */
  record ValidProfile(JsonObject request, ProfileSpec expected) {
  }

  /** Every field a profile request may hold: the create fields, then {@code status}, which only PATCH takes. */
  static final List<String> FIELDS = List.of("title", "http_method", "url", "body", "headers", "response_message",
      "enc", "channel", "events", "dynamic_variables", "replacers", "body_type", "auth", "policy", "status");

  private static final String HEADER_TOKEN_CHARS =
      "!#$%&'*+.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-";

  private ArbitraryProfiles() {
  }

  /**
   * 3–100 code points of letters (now and then two outside the BMP), digits, space, '-' and '_', with at least one
   * letter or digit.
   */
  static Arbitrary<String> titles() {
    Arbitrary<String> bmp = Arbitraries.strings().alpha().numeric().withChars(" -_éжßΩ中٣")
        .ofMinLength(3).ofMaxLength(100)
        .filter(t -> t.codePoints().anyMatch(Character::isLetterOrDigit));
    // Astral letters replace characters, so the length in code points stays the same: 𝒜 is two UTF-16 units.
    return Combinators.combine(bmp, Arbitraries.of("", "𝒜", "𝒜𝔘")).as((title, astral) ->
        astral + title.substring(Math.min(title.length() - 1, astral.length() / 2)));
  }

  /** A DNS label: letters, digits and inner hyphens, 1–63 characters. */
  static Arbitrary<String> labels() {
    return Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('-').ofMinLength(1).ofMaxLength(63)
        .filter(l -> !l.startsWith("-") && !l.endsWith("-"));
  }

  /** A path name as placeholders and replacers use them: {@code a}, {@code a.b}, {@code a[0].b_c}. */
  static Arbitrary<String> variablePaths() {
    Arbitrary<String> name = Combinators.combine(
        Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withChars('_').ofLength(1),
        Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('_', '-').ofMaxLength(8)).as(String::concat);
    Arbitrary<String> step = Arbitraries.oneOf(name.map(n -> "." + n),
        Arbitraries.integers().between(0, 20).map(i -> "[" + i + "]"));
    return Combinators.combine(name, step.list().ofMaxSize(3)).as((head, steps) -> head + String.join("", steps));
  }

  /** Absolute http(s) URLs on example.com, with placeholders in the host, path and query now and then. */
  static Arbitrary<String> urls() {
    Arbitrary<String> segment = Arbitraries.oneOf(
        Arbitraries.strings().alpha().numeric().withChars('-', '.', '_', '~').ofMaxLength(10),
        variablePaths().map(p -> "<" + p + ">"));
    Arbitrary<String> host = Arbitraries.oneOf(labels().map(l -> l + ".example.com"),
        variablePaths().map(p -> "<" + p + ">.example.com"), Arbitraries.just("example.com"));
    return Combinators.combine(Arbitraries.of("http", "https", "HTTPS"), host,
            Arbitraries.of("", ":443", ":8080"), segment.list().ofMaxSize(4),
            Arbitraries.of("", "?a=1", "?q=<status>&x=y", "#top"))
        .as((scheme, h, port, path, query) -> scheme + "://" + h + port + "/" + String.join("/", path) + query);
  }

  /** Up to six headers with token names (none reserved) and values without CR, LF or NUL. */
  static Arbitrary<Map<String, String>> headers() {
    Arbitrary<String> name = Arbitraries.strings().withChars(HEADER_TOKEN_CHARS).ofMinLength(1).ofMaxLength(20)
        .filter(n -> !reserved(n));
    Arbitrary<String> value = ArbitraryJson.strings().map(v -> v.replaceAll("[\r\n\u0000]", ""));
    return Combinators.combine(name, value).as(Tuple::of).list().ofMaxSize(6).map(pairs -> {
      Map<String, String> headers = new LinkedHashMap<>();
      pairs.forEach(pair -> headers.put(pair.get1(), pair.get2()));
      return headers;
    });
  }

  /** Text of exactly {@code bytes} UTF-8 bytes, mixing 1- to 4-byte characters. */
  static Arbitrary<String> utf8OfLength(int bytes) {
    return Arbitraries.of("a", "Z", "7", " ", "~", "é", "€", "😀").list().ofMaxSize(bytes).map(chars -> {
      StringBuilder out = new StringBuilder();
      int used = 0;
      for (String c : chars) {
        int size = c.getBytes(StandardCharsets.UTF_8).length;
        if (used + size <= bytes) {
          out.append(c);
          used += size;
        }
      }
      return out + "k".repeat(bytes - used);
    });
  }

  static Arbitrary<Encryption> encryptions() {
    // enc.params entries: any text that starts with a non-space character, at most 200 code points.
    Arbitrary<List<String>> params = ArbitraryJson.strings(3)
        .filter(p -> !p.isEmpty() && !" \t\n\u000b\f\r".contains(p.substring(0, 1)))
        .list().uniqueElements().ofMaxSize(4).injectNull(0.5);
    Arbitrary<Map<Integer, String>> keys = Combinators.combine(utf8OfLength(16), utf8OfLength(24), utf8OfLength(32))
        .as((k16, k24, k32) -> Map.of(16, k16, 24, k24, 32, k32));
    return Combinators.combine(Arbitraries.of(CipherAlgorithm.class), keys, utf8OfLength(16).injectNull(0.5), params)
        .as((algorithm, key, iv, p) -> new Encryption(algorithm, key.get(algorithm.keyBytes()), iv, p));
  }

  /** Valid callback authentication: Basic, or OAuth2 with the optional fields set now and then. */
  static Arbitrary<CallbackAuth> auths() {
    Arbitrary<String> secrets = Arbitraries.strings().withCharRange('!', '~').withChars(' ', 'é', '€').ofMinLength(1)
        .ofMaxLength(40).filter(s -> !s.equals(CallbackAuth.MASK));
    Arbitrary<String> names = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(20)
        .filter(s -> s.indexOf(':') < 0);
    Arbitrary<CallbackAuth> basic = Combinators.combine(names, secrets).as(CallbackAuth.Basic::new);
    Arbitrary<Map<String, String>> tokenHeaders = Arbitraries.maps(Arbitraries.of("X-Tenant", "X-Region", "Accept"),
        Arbitraries.strings().alpha().ofMaxLength(10)).ofMaxSize(2);
    Arbitrary<CallbackAuth> oauth2 = Combinators.combine(
            Combinators.combine(urls().filter(u -> u.indexOf('<') < 0), names, secrets).as(Tuple::of),
            Arbitraries.of(CallbackAuth.TokenMethod.class), Arbitraries.of(CallbackAuth.CredentialPlacement.class),
            Arbitraries.strings().alpha().withChars(' ', ':').ofMinLength(1).ofMaxLength(30).injectNull(0.5),
            variablePaths().injectNull(0.5), variablePaths().injectNull(0.5), tokenHeaders)
        .as((first, method, credentials, scope, tokenPath, expiresPath, headers) -> new CallbackAuth.OAuth2(
            first.get1(), first.get2(), first.get3(), method, credentials, scope,
            tokenPath == null ? CallbackAuth.OAuth2.DEFAULT_TOKEN_PATH : tokenPath,
            expiresPath == null ? CallbackAuth.OAuth2.DEFAULT_EXPIRES_PATH : expiresPath, headers));
    return Arbitraries.oneOf(basic, oauth2);
  }

  /** A text body template: markup, declared and undeclared placeholders, and any text. */
  static Arbitrary<String> textBodies() {
    return Arbitraries.oneOf(ArbitraryJson.strings(),
        variablePaths().map(p -> "<r><v><" + p + "></v><note a=\"1\">&amp; <event></note></r>"),
        Arbitraries.just(""));
  }

  static Arbitrary<String> eventNames() {
    return Combinators.combine(Arbitraries.strings().alpha().numeric().ofLength(1),
        Arbitraries.strings().alpha().numeric().withChars('_', '.', ':', '-').ofMaxLength(63)).as(String::concat);
  }

  /** Complete, valid create requests, written in each of the forms the API accepts, and what they must become. */
  static Arbitrary<ValidProfile> validProfiles() {
    Arbitrary<JsonObject> jsonObjects = ArbitraryJson.objects();
    Arbitrary<Map<String, String>> replacers = Combinators.combine(variablePaths(), variablePaths()).as(Tuple::of)
        .list().ofMaxSize(4).map(pairs -> {
          Map<String, String> mapping = new LinkedHashMap<>();
          pairs.forEach(pair -> mapping.put(pair.get1(), pair.get2()));
          return mapping;
        });
    Arbitrary<ProfileChannel> channels = Arbitraries.of(ProfileChannel.class);
    Arbitrary<List<String>> eventLists = eventNames().list().ofMinSize(1).ofMaxSize(4);
    Arbitrary<List<Boolean>> forms = Arbitraries.of(true, false).list().ofSize(8);
    Arbitrary<BodyType> bodyTypes = Arbitraries.of(BodyType.class).injectNull(0.5);
    return Combinators.combine(
            Combinators.combine(titles(), Arbitraries.of(CallbackMethod.class), urls(), headers()).as(Tuple::of),
            Combinators.combine(jsonObjects.injectNull(0.3), ArbitraryJson.strings().injectNull(0.5),
                encryptions().injectNull(0.5)).as(Tuple::of),
            Combinators.combine(channels, eventLists.injectNull(0.3), jsonObjects.injectNull(0.5), replacers)
                .as(Tuple::of),
            forms,
            Combinators.combine(bodyTypes, textBodies(), auths().injectNull(0.5)).as(Tuple::of))
        .as((first, second, third, form, fourth) -> {
          CallbackMethod method = first.get2();
          // A body type needs a method that sends a body; JSON is written null; text types take a string body.
          BodyType type = method.carriesBody() && fourth.get1() != BodyType.JSON ? fourth.get1() : null;
          boolean text = type != null && type.isTextTemplate();
          JsonObject body = text ? null
              : second.get1() == null && method.carriesBody() ? new JsonObject() : second.get1();
          String textBody = text ? fourth.get2() : null;
          // With auth, the Authorization header is the engine's.
          CallbackAuth auth = first.get4().keySet().stream().anyMatch(h -> h.equalsIgnoreCase("authorization"))
              ? null : fourth.get3();
          ProfileChannel channel = third.get1();
          List<String> events = third.get2() == null && channel == ProfileChannel.SMS
              ? List.of("SMS-sent") : third.get2();
          List<String> distinctEvents = events == null ? null : new ArrayList<>(new LinkedHashSet<>(events));
          ProfileSpec expected = new ProfileSpec(first.get1(), method, first.get3(), first.get4(), body, second.get2(),
              second.get3(), channel, distinctEvents, third.get3(), third.get4(), type, textBody, auth,
              ProfilePolicy.DEFAULTS);
          return new ValidProfile(request(expected, events, form), expected);
        });
  }

  /** The request for {@code spec}, each lenient field in the form {@code form} picks. */
  private static JsonObject request(ProfileSpec spec, List<String> events, List<Boolean> form) {
    JsonObject request = new JsonObject()
        .put("title", spec.title())
        .put("http_method", spec.httpMethod().name())
        .put("url", spec.url());
    JsonObject headers = json(spec.headers());
    if (!headers.isEmpty() || form.get(0)) {
      request.put("headers", form.get(1) ? headers.encode() : headers);
    }
    putOptional(request, "body", spec.textBody() != null ? spec.textBody() : textOrObject(spec.body(), form.get(2)),
        form.get(3));
    putOptional(request, "body_type", spec.declaredBodyType() == null ? null : spec.declaredBodyType().wireName(),
        form.get(2));
    putOptional(request, "auth", spec.auth() == null ? null : authJson(spec.auth(), form.get(1)), form.get(4));
    putOptional(request, "response_message", spec.responseMessage(), form.get(3));
    putOptional(request, "enc", spec.enc() == null ? null : encJson(spec.enc(), form.get(4)), form.get(4));
    if (spec.channel() != ProfileChannel.DEFAULT || form.get(5)) {
      request.put("channel", spec.channel().wireName());
    }
    Object eventsJson = events == null ? null
        : events.size() == 1 && form.get(6) ? events.get(0) : new JsonArray(events);
    putOptional(request, "events", eventsJson, form.get(5));
    putOptional(request, "dynamic_variables", textOrObject(spec.dynamicVariables(), form.get(7)), form.get(6));
    JsonObject replacers = json(spec.replacers());
    if (!replacers.isEmpty() || form.get(7)) {
      request.put("replacers", form.get(0) ? replacers.encode() : replacers);
    }
    return (JsonObject) ArbitraryJson.parsed(request);
  }

  private static Object textOrObject(JsonObject object, boolean asText) {
    return object == null ? null : asText ? object.encode() : object;
  }

  private static void putOptional(JsonObject request, String field, Object value, boolean explicitNull) {
    if (value != null || explicitNull) {
      request.put(field, value);
    }
  }

  static JsonObject encJson(Encryption enc, boolean explicitNull) {
    JsonObject json = new JsonObject().put("algo", enc.algorithm().wireName()).put("key", enc.key());
    putOptional(json, "IV", enc.iv(), explicitNull);
    putOptional(json, "params", enc.params() == null ? null : new JsonArray(enc.params()), explicitNull);
    return json;
  }

  /** The request form of {@code auth}: with its secret, and with the defaults written out or left to the engine. */
  static JsonObject authJson(CallbackAuth auth, boolean allFields) {
    JsonObject json = auth.description().put(auth instanceof CallbackAuth.Basic ? "password" : "client_secret",
        auth.secret());
    if (!allFields && auth instanceof CallbackAuth.OAuth2 oauth2) {
      if (oauth2.method() == CallbackAuth.TokenMethod.POST) {
        json.remove("method");
      }
      if (oauth2.credentials() == CallbackAuth.CredentialPlacement.BODY) {
        json.remove("credentials");
      }
      if (oauth2.scope() == null) {
        json.remove("scope");
      }
      if (oauth2.headers().isEmpty()) {
        json.remove("headers");
      }
      if (oauth2.tokenPath().equals(CallbackAuth.OAuth2.DEFAULT_TOKEN_PATH)) {
        json.remove("token_path");
      }
    }
    return json;
  }

  static JsonObject json(Map<String, String> map) {
    return new JsonObject(new LinkedHashMap<String, Object>(map));
  }

  /** Header names the engine sets itself; the request may not. */
  static boolean reserved(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return List.of("host", "content-length", "transfer-encoding", "connection").contains(lower)
        || lower.startsWith("webhook-");
  }
}
