package io.callbackengine.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves the OpenAPI 3.1 description of every route at {@code GET /openapi.yaml}. */
public final class OpenApiResource implements ApiResource {

  public static final String RESOURCE = "openapi.yaml";

  private final Buffer document;

  /** Reads the document once, at start-up (a blocking classpath read that never happens on an event loop). */
  public OpenApiResource() {
    try (InputStream in = OpenApiResource.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      this.document = Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void mount(Router router) {
    router.get("/openapi.yaml").handler(ctx -> ctx.response()
        .putHeader("content-type", "application/yaml")
        .end(document));
  }
}
