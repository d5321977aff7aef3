package io.callbackengine.api.profile;

import io.callbackengine.api.ApiResource;
import io.callbackengine.api.Envelope;
import io.callbackengine.api.JsonRequest;
import io.callbackengine.api.QueryParameters;
import io.callbackengine.api.ResponseCodes;
import io.callbackengine.domain.profile.ProfileChannel;
import io.callbackengine.domain.profile.ProfilePolicy;
import io.callbackengine.store.profile.ProfileQuery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** {@code /v1/{sid}/callback/profiles}: the Kaleyra profile API and its siblings (API.md §4, §8). */
public final class ProfileResource implements ApiResource {

  private static final String BASE = "/v1/:sid/callback/profiles";
  private static final String CODE = ResponseCodes.PROFILES.success();

  private final ProfileRegistry registry;
  private final ProfileJson json;

  /** @param policyDefaults the engine's delivery settings, shown where a profile's policy sets none */
  public ProfileResource(ProfileRegistry registry, ProfilePolicy.Defaults policyDefaults) {
    this.registry = registry;
    this.json = new ProfileJson(policyDefaults);
  }

  @Override
  public void mount(Router router) {
    router.post(BASE).handler(this::create);
    router.get(BASE).handler(this::list);
    router.get(BASE + "/:id").handler(this::get);
    router.patch(BASE + "/:id").handler(this::patch);
    router.delete(BASE + "/:id").handler(this::delete);
    router.post(BASE + "/:id/signing-secret/rotate").handler(this::rotate);
  }

  private void create(RoutingContext ctx) {
    JsonObject request = JsonRequest.object(ctx, false);
    registry.create(ctx.pathParam("sid"), request)
        .compose(p -> Envelope.success(ctx, 201, CODE, "Profile created successfully", json.of(p)))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    registry.get(ctx.pathParam("sid"), ctx.pathParam("id"))
        .compose(p -> Envelope.success(ctx, 200, CODE, "Profile fetched successfully", json.of(p)))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    QueryParameters query = new QueryParameters(ctx, Set.of("title", "status", "channel", "event"));
    int limit = query.limit();
    int offset = query.offset();
    Integer status = query.integer("status", null, 1, 3);
    String channel = query.oneOf("channel", ProfileChannel.wireNames());
    ProfileQuery filter = new ProfileQuery(query.text("title"), status, channel, query.text("event"), limit, offset);
    query.throwIfInvalid();
    registry.list(ctx.pathParam("sid"), filter)
        .compose(page -> {
          JsonArray profiles = new JsonArray();
          page.profiles().forEach(p -> profiles.add(json.of(p)));
          return Envelope.success(ctx, 200, CODE, "Profiles fetched successfully", new JsonObject()
              .put("profiles", profiles).put("total", page.total()).put("limit", limit).put("offset", offset));
        })
        .onFailure(ctx::fail);
  }

  private void patch(RoutingContext ctx) {
    JsonObject request = JsonRequest.object(ctx, false);
    registry.patch(ctx.pathParam("sid"), ctx.pathParam("id"), request)
        .compose(p -> Envelope.success(ctx, 200, CODE, "Profile updated successfully", json.of(p)))
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    registry.delete(ctx.pathParam("sid"), ctx.pathParam("id"))
        .compose(id -> Envelope.success(ctx, 200, CODE, "Profile deleted successfully",
            new JsonObject().put("profileId", id)))
        .onFailure(ctx::fail);
  }

  private void rotate(RoutingContext ctx) {
    JsonRequest.nothing(ctx);
    registry.rotateSigningSecret(ctx.pathParam("sid"), ctx.pathParam("id"))
        .compose(p -> Envelope.success(ctx, 200, CODE, "Signing secret rotated successfully", json.of(p)))
        .onFailure(ctx::fail);
  }
}
