package io.callbackengine.dispatcher;

import io.callbackengine.domain.profile.CallbackAuth;
import io.callbackengine.domain.profile.CallbackProfile;
import io.vertx.core.Future;
import java.time.Instant;

/**
 * Sends a profile's callback with the {@code Authorization} its {@code auth} gives (API.md §12): HTTP Basic as it
 * is; an OAuth2 bearer token from the {@link TokenCache}, and when the receiver answers 401, once more within the
 * same attempt with a token fetched anew (a second 401 is the attempt's answer). A token that cannot be had ends
 * the attempt as an {@code auth:} error with no HTTP status, retried on the schedule like any failure. An OAuth2
 * attempt's duration runs from its start to its last answer, token requests included.
 */
final class AuthenticatedSender {

  private static final String AUTHORIZATION = "Authorization";

  private final CallbackSender sender;
  private final TokenCache tokens;

  AuthenticatedSender(CallbackSender sender, TokenCache tokens) {
    this.sender = sender;
    this.tokens = tokens;
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
    return withToken(profile.id(), oauth2, request)
        .compose(sent -> refused(sent) ? withToken(profile.id(), oauth2, request) : Future.succeededFuture(sent))
        .map(sent -> new SendResult(started, elapsedMs(startNanos), sent.httpStatus(), sent.error(), sent.excerpt(),
            sent.retryAfter(), sent.resultClass()))
        .recover(failure -> Future.succeededFuture(SendResult.failed(started, elapsedMs(startNanos),
            failure instanceof TokenFailure ? failure.getMessage()
                : "auth: token request failed: " + failure.getClass().getSimpleName(),
            SendResult.ResultClass.ERROR)));
  }

  /** Sends with the profile's token; a token the receiver refuses is dropped, so the next one is fetched anew. */
  private Future<SendResult> withToken(String profileId, CallbackAuth.OAuth2 auth, CallbackRequest request) {
    return tokens.token(profileId, auth).compose(token ->
        sender.send(request.withHeader(AUTHORIZATION, token.authorization())).map(sent -> {
          if (refused(sent)) {
            tokens.refused(profileId, token);
          }
          return sent;
        }));
  }

  private static boolean refused(SendResult sent) {
    return sent.httpStatus() != null && sent.httpStatus() == 401 && sent.resultClass() != SendResult.ResultClass.TIMEOUT;
  }

  private static int elapsedMs(long startNanos) {
    return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - startNanos) / 1_000_000);
  }
}
