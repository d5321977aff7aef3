package io.callbackengine.api.delivery;

import io.callbackengine.api.ApiResource;
import io.callbackengine.api.Envelope;
import io.callbackengine.api.JsonRequest;
import io.callbackengine.api.JsonTime;
import io.callbackengine.api.QueryParameters;
import io.callbackengine.api.ResponseCodes;
import io.callbackengine.domain.delivery.ReplayRequest;
import io.callbackengine.domain.problem.ClientProblem;
import io.callbackengine.domain.problem.Violation;
import io.callbackengine.store.delivery.DeliveryLog;
import io.callbackengine.store.delivery.DeliveryRecord;
import io.callbackengine.store.profile.ProfileStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The delivery log (API.md §7): a profile's deliveries, one delivery with every attempt, a manual retry, and a
 * profile's bulk replay (§14).
 */
public final class DeliveryResource implements ApiResource {

  private final DeliveryLog log;
  private final ProfileStore profiles;

  public DeliveryResource(DeliveryLog log, ProfileStore profiles) {
    this.log = log;
    this.profiles = profiles;
  }

  @Override
  public void mount(Router router) {
    router.get("/v1/:sid/callback/profiles/:id/deliveries").handler(this::list);
    router.get("/v1/:sid/callback/deliveries/:deliveryId").handler(this::get);
    router.post("/v1/:sid/callback/deliveries/:deliveryId/retry").handler(this::retry);
    router.post("/v1/:sid/callback/profiles/:id/replay").handler(this::replay);
  }

  /** Another account's profile is a 404 whatever the body says, as on every route that names an id. */
  private void replay(RoutingContext ctx) {
    String sid = ctx.pathParam("sid");
    String profileId = ctx.pathParam("id");
    profiles.find(sid, profileId)
        .compose(found -> {
          if (found.isEmpty()) {
            return Future.<Optional<DeliveryLog.Replayed>>failedFuture(profileNotFound(profileId));
          }
          ReplayRequest request = ReplayRequest.read(JsonRequest.object(ctx, false), Instant.now());
          return log.replay(sid, profileId, request.since(), request.until(), request.statuses(),
              ReplayRequest.MAX_PER_CALL);
        })
        .compose(replayed -> replayed.isPresent()
            ? Envelope.success(ctx, 202, ResponseCodes.PROFILES.success(), "Deliveries replayed",
                new JsonObject().put("replayed", replayed.get().replayed()).put("more", replayed.get().more()))
            : Future.failedFuture(profileNotFound(profileId)))
        .onFailure(ctx::fail);
  }

  private static ClientProblem profileNotFound(String profileId) {
    return ClientProblem.notFound("No profile exists with this id",
        Violation.params("No profile exists with id: " + profileId));
  }

  private void list(RoutingContext ctx) {
    QueryParameters query = new QueryParameters(ctx, Set.of("status"));
    int limit = query.limit();
    int offset = query.offset();
    String status = query.oneOf("status", DeliveryLog.STATUSES);
    query.throwIfInvalid();
    String sid = ctx.pathParam("sid");
    String profileId = ctx.pathParam("id");
    profiles.find(sid, profileId)
        .compose(found -> found.isPresent() ? log.list(sid, profileId, status, limit, offset)
            : Future.failedFuture(profileNotFound(profileId)))
        .compose(page -> {
          JsonArray deliveries = new JsonArray();
          page.deliveries().forEach(d -> deliveries.add(json(d)));
          return Envelope.success(ctx, 200, ResponseCodes.PROFILES.success(), "Deliveries fetched successfully",
              new JsonObject().put("deliveries", deliveries).put("total", page.total()).put("limit", limit)
                  .put("offset", offset));
        })
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    String deliveryId = ctx.pathParam("deliveryId");
    log.find(ctx.pathParam("sid"), deliveryId)
        .compose(found -> Envelope.success(ctx, 200, ResponseCodes.DELIVERIES.success(),
            "Delivery fetched successfully", withAttempts(existing(found, deliveryId))))
        .onFailure(ctx::fail);
  }

  private void retry(RoutingContext ctx) {
    JsonRequest.nothing(ctx);
    String deliveryId = ctx.pathParam("deliveryId");
    // The answer is the delivery as it now stands, without its attempts: the log is what GET answers.
    log.requeue(ctx.pathParam("sid"), deliveryId)
        .compose(found -> Envelope.success(ctx, 200, ResponseCodes.DELIVERIES.success(), "Delivery re-queued",
            json(existing(found, deliveryId))))
        .onFailure(ctx::fail);
  }

  private static DeliveryRecord existing(Optional<DeliveryRecord> found, String deliveryId) {
    return found.orElseThrow(() -> ClientProblem.notFound("No delivery exists with this id",
        Violation.params("No delivery exists with id: " + deliveryId)));
  }

  private static JsonObject withAttempts(DeliveryRecord delivery) {
    JsonArray attempts = new JsonArray();
    delivery.attempts().forEach(a -> attempts.add(new JsonObject()
        .put("attempt", a.attempt())
        .put("started_at", JsonTime.format(a.startedAt()))
        .put("duration_ms", a.durationMs())
        .put("http_status", a.httpStatus())
        .put("error", a.error())
        .put("response_excerpt", a.responseExcerpt())
        .put("unknown_placeholders", new JsonArray(a.unknownPlaceholders()))));
    return json(delivery).put("attempts", attempts);
  }

  private static JsonObject json(DeliveryRecord d) {
    return new JsonObject()
        .put("delivery_id", d.deliveryId())
        .put("event_id", d.eventId())
        .put("profile_id", d.profileId())
        .put("event", d.event())
        .put("channel", d.channel())
        .put("status", d.status())
        .put("attempt_count", d.attemptCount())
        .put("next_attempt_at", JsonTime.format(d.nextAttemptAt()))
        .put("created_at", JsonTime.format(d.createdAt()))
        .put("finished_at", JsonTime.format(d.finishedAt()))
        .put("last_http_status", d.lastHttpStatus())
        .put("last_error", d.lastError());
  }
}
