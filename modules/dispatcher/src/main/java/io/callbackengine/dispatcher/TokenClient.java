package io.callbackengine.dispatcher;

import io.callbackengine.domain.profile.CallbackAuth;
import io.callbackengine.domain.template.VariablePath;
import io.callbackengine.domain.template.VariableValue;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Obtains a token with the OAuth2 client-credentials grant (RFC 6749 §4.4) as API.md §12 describes it, through the
 * same {@link CallbackSender} as callbacks: the SSRF guard, the timeouts and the no-redirect rule apply alike.
 *
 * <p>Written here rather than with {@code vertx-auth-oauth2}: that provider connects with a client of its own, by
 * host name, so the connect-time address check could not vet its connections; and it has no GET token request,
 * no token or lifetime at a configurable path, and no choice between credentials in the body and in the header.
 */
final class TokenClient implements TokenCache.TokenSource {

  /** Token answers (a JWT with many claims can pass 4 KiB) are read up to this size. */
  static final int ANSWER_BYTES = 64 * 1024;
  /** The lifetime assumed when the answer gives none that can be read. */
  static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(1);
  static final Duration MAX_LIFETIME = Duration.ofDays(1);

  private final CallbackSender sender;
  private final String userAgent;
  private final DispatchMetrics metrics;

  TokenClient(CallbackSender sender, String userAgent, DispatchMetrics metrics) {
    this.sender = sender;
    this.userAgent = userAgent;
    this.metrics = metrics;
  }

  /** A fresh token, or a failed future holding a {@link TokenFailure}. */
  @Override
  public Future<BearerToken> fetch(CallbackAuth.OAuth2 auth, Duration timeout) {
    StringBuilder parameters = new StringBuilder();
    FormUrlEncoding.append(parameters, "grant_type", "client_credentials");
    if (auth.scope() != null) {
      FormUrlEncoding.append(parameters, "scope", auth.scope());
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    auth.headers().forEach((name, value) -> headers.add(new SimpleImmutableEntry<>(name, value)));
    headers.add(new SimpleImmutableEntry<>("Accept", "application/json"));
    headers.add(new SimpleImmutableEntry<>("User-Agent", userAgent));
    if (auth.credentials() == CallbackAuth.CredentialPlacement.BODY) {
      FormUrlEncoding.append(parameters, "client_id", auth.clientId());
      FormUrlEncoding.append(parameters, "client_secret", auth.clientSecret());
    } else {
      String pair = FormUrlEncoding.encode(auth.clientId()) + ":" + FormUrlEncoding.encode(auth.clientSecret());
      headers.add(new SimpleImmutableEntry<>("Authorization",
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))));
    }
    CallbackRequest request;
    if (auth.method() == CallbackAuth.TokenMethod.POST) {
      headers.add(new SimpleImmutableEntry<>("Content-Type", "application/x-www-form-urlencoded"));
      request = new CallbackRequest("POST", auth.tokenUrl(), headers, Buffer.buffer(parameters.toString()), Set.of());
    } else {
      String url = auth.tokenUrl();
      int hash = url.indexOf('#');
      String base = hash < 0 ? url : url.substring(0, hash);
      String separator = base.indexOf('?') < 0 ? "?" : base.endsWith("?") || base.endsWith("&") ? "" : "&";
      request = new CallbackRequest("GET", base + separator + parameters, headers, Buffer.buffer(), Set.of());
    }
    Instant asked = Instant.now();
    return sender.send(request.withTimeout(timeout), ANSWER_BYTES).compose(sent -> {
      try {
        BearerToken token = token(auth, sent, asked);
        metrics.tokenRequested(true);
        return Future.succeededFuture(token);
      } catch (TokenFailure failure) {
        metrics.tokenRequested(false);
        return Future.failedFuture(failure);
      }
    });
  }

  private static BearerToken token(CallbackAuth.OAuth2 auth, SendResult sent, Instant asked) {
    if (sent.resultClass() == SendResult.ResultClass.TIMEOUT || sent.httpStatus() == null) {
      throw new TokenFailure("token request failed: " + sent.error());
    }
    int status = sent.httpStatus();
    if (status >= 300 && status < 400) {
      throw new TokenFailure("token endpoint answered HTTP " + status + " (a redirect, not followed)");
    }
    if (status < 200 || status >= 300) {
      throw new TokenFailure("token endpoint answered HTTP " + status);
    }
    String text = sent.excerpt() == null ? "" : sent.excerpt();
    if (text.getBytes(StandardCharsets.UTF_8).length >= ANSWER_BYTES) {
      throw new TokenFailure("token answer is larger than " + ANSWER_BYTES / 1024 + " KiB");
    }
    JsonObject answer;
    try {
      answer = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new TokenFailure("token answer is not a JSON object");
    }
    Object token = read(answer, auth.tokenPath()).orElse(null);
    if (!(token instanceof String value) || value.isEmpty()) {
      throw new TokenFailure("no token (a non-empty string) at '" + auth.tokenPath() + "' in the token answer");
    }
    if (!value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new TokenFailure("the token at '" + auth.tokenPath() + "' holds characters an HTTP header cannot carry");
    }
    Duration lifetime = lifetime(read(answer, auth.expiresPath()).orElse(null));
    if (lifetime.isZero() || lifetime.isNegative()) {
      throw new TokenFailure("the token answer says the token has expired ('" + auth.expiresPath() + "' is "
          + lifetime.toSeconds() + ")");
    }
    return new BearerToken(value, asked, lifetime);
  }

  private static Optional<Object> read(JsonObject answer, String path) {
    return VariablePath.parse(path).flatMap(p -> p.resolveIn(answer)).map(VariableValue::value);
  }

  /**
   * Seconds as a number or a numeric string ({@code "3599"}, as Kaleyra's sample); otherwise the default. A token
   * is kept a day at most, whatever it claims.
   */
  private static Duration lifetime(Object value) {
    double seconds;
    if (value instanceof Number number) {
      seconds = number.doubleValue();
    } else if (value instanceof String text) {
      try {
        seconds = Double.parseDouble(text.trim());
      } catch (NumberFormatException unreadable) {
        return DEFAULT_LIFETIME;
      }
    } else {
      return DEFAULT_LIFETIME;
    }
    if (Double.isNaN(seconds)) {
      return DEFAULT_LIFETIME;
    }
    return Duration.ofSeconds((long) Math.floor(Math.min(seconds, MAX_LIFETIME.toSeconds())));
  }
}
