package io.callbackengine.dispatcher;

import io.callbackengine.domain.profile.CallbackAuth;
import io.callbackengine.domain.profile.CallbackProfile;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;

/**
 * Sends a profile's callback with the {@code Authorization} its {@code auth} gives (API.md §12): HTTP Basic as it
 * is; an OAuth2 bearer token from the {@link TokenCache}, and when the receiver answers 401, once more within the
 * same attempt with a token fetched anew (a second 401 is the attempt's answer). A token that cannot be had ends
 * the attempt as an {@code auth:} error with no HTTP status, retried on the schedule like any failure. An OAuth2
 * attempt's duration runs from its start to its last answer, token requests included, and all its exchanges fit in
 * the attempt's lease.
 */
final class AuthenticatedSender {

  private static final String AUTHORIZATION = "Authorization";
  /** An exchange given less time than this is not started: it could not succeed. */
  private static final Duration SHORTEST_EXCHANGE = Duration.ofMillis(100);

  private final CallbackSender sender;
  private final TokenCache tokens;
  private final Duration budget;
  private final Duration connectTimeout;
  private final Duration tokenTimeout;

  /**
   * @param budget         how long one attempt may take in all: what its lease leaves after recording the outcome
   * @param connectTimeout the connect timeout every exchange may take on top of its own timeout
   * @param tokenTimeout   the whole-request timeout of a token request
   */
  AuthenticatedSender(CallbackSender sender, TokenCache tokens, Duration budget, Duration connectTimeout,
      Duration tokenTimeout) {
    this.sender = sender;
    this.tokens = tokens;
    this.budget = budget;
    this.connectTimeout = connectTimeout;
    this.tokenTimeout = tokenTimeout;
  }

  Future<SendResult> send(CallbackProfile profile, CallbackRequest request) {
    CallbackAuth auth = profile.spec().auth();
    if (!(auth instanceof CallbackAuth.OAuth2 oauth2)) {
      tokens.forget(profile.id());
      return auth instanceof CallbackAuth.Basic basic
          ? sender.send(request.withHeader(AUTHORIZATION, basic.authorization()))
          : sender.send(request);
    }
    Instant started = Instant.now();
    long startNanos = System.nanoTime();
    long deadline = startNanos + budget.toNanos();
    return withToken(profile.id(), oauth2, request, deadline)
        .compose(sent -> refused(sent) && left(deadline).compareTo(SHORTEST_EXCHANGE) >= 0
            ? withToken(profile.id(), oauth2, request, deadline).recover(late -> late instanceof OutOfTime
                ? Future.succeededFuture(sent) : Future.failedFuture(late))
            : Future.succeededFuture(sent))
        .map(sent -> new SendResult(started, elapsedMs(startNanos), sent.httpStatus(), sent.error(), sent.excerpt(),
            sent.retryAfter(), sent.resultClass()))
        .recover(failure -> Future.succeededFuture(SendResult.failed(started, elapsedMs(startNanos),
            failure instanceof TokenFailure ? failure.getMessage()
                : "auth: token request failed: " + failure.getClass().getSimpleName(),
            SendResult.ResultClass.ERROR)));
  }

  /**
   * Sends with the profile's token; a token the receiver refuses is dropped, so the next one is fetched anew. Each
   * exchange gets at most what is left before {@code deadline}, so the attempt never outlives its lease (a lease
   * that ran out would let another dispatcher send the same delivery).
   */
  private Future<SendResult> withToken(String profileId, CallbackAuth.OAuth2 auth, CallbackRequest request,
      long deadline) {
    Duration forToken = shorter(tokenTimeout, left(deadline).minus(connectTimeout));
    if (forToken.compareTo(SHORTEST_EXCHANGE) < 0) {
      return Future.failedFuture(new OutOfTime());
    }
    return tokens.token(profileId, auth, forToken).compose(token -> {
      Duration forCallback = shorter(request.timeout() != null ? request.timeout() : tokenTimeout,
          left(deadline).minus(connectTimeout));
      if (forCallback.compareTo(SHORTEST_EXCHANGE) < 0) {
        return Future.failedFuture(new OutOfTime());
      }
      return sender.send(request.withHeader(AUTHORIZATION, token.authorization()).withTimeout(forCallback))
          .map(sent -> {
            if (refused(sent)) {
              tokens.refused(profileId, token);
            }
            return sent;
          });
    });
  }

  /** No time left in the attempt's lease for another exchange. */
  private static final class OutOfTime extends TokenFailure {
    OutOfTime() {
      super("no time left in the attempt for the callback after the token request");
    }
  }

  private static Duration left(long deadline) {
    return Duration.ofNanos(deadline - System.nanoTime());
  }

  private static Duration shorter(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static boolean refused(SendResult sent) {
    return sent.httpStatus() != null && sent.httpStatus() == 401 && sent.resultClass() != SendResult.ResultClass.TIMEOUT;
  }

  private static int elapsedMs(long startNanos) {
    return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - startNanos) / 1_000_000);
  }
}
