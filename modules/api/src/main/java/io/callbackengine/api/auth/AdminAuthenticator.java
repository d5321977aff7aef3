package io.callbackengine.api.auth;

import io.callbackengine.api.Envelope;
import io.callbackengine.domain.problem.ClientProblem;
import io.callbackengine.domain.problem.Violation;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * Guards {@code /admin/...} with {@code Authorization: Bearer <token>}, the token from configuration. With no
 * token configured the admin API is off and answers 503, so an engine is never left open by omission.
 */
public final class AdminAuthenticator implements Handler<RoutingContext> {

  private static final String BEARER = "Bearer ";

  private final Optional<byte[]> token;

  public AdminAuthenticator(Optional<String> token) {
    this.token = token.filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (token.isEmpty()) {
      Envelope.failure(ctx, 503, "ADM503", "admin API disabled",
          List.of(Violation.headers("set CALLBACK_ADMIN_TOKEN to enable the admin API")));
      return;
    }
    String header = ctx.request().getHeader("authorization");
    byte[] given = header != null && header.startsWith(BEARER)
        ? header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8)
        : new byte[0];
    if (MessageDigest.isEqual(given, token.get())) {
      ctx.next();
    } else {
      ctx.fail(new ClientProblem(401, "Invalid or missing admin token",
          List.of(Violation.headers("headers/authorization must be 'Bearer <admin token>'"))));
    }
  }
}
