package io.callbackengine.api.console;

import io.callbackengine.api.ApiResource;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The web console: {@code GET /console} redirects to {@code /console/}, which serves the page; its scripts and
 * style sheet are {@code /console/{file}}. Everything it shows comes from the public API, called by the page itself
 * with the credentials the person typed in (kept in the tab's memory, never sent to this resource).
 *
 * <p>Every {@code /console} reply, a 404 included, carries a Content-Security-Policy that allows scripts, styles and
 * connections to this origin only (no inline script or style, nothing from another origin), forbids framing, and
 * sends no referrer.
 */
public final class ConsoleResource implements ApiResource {

  /** The files of the console, read once from {@code console/} on the class path. */
  static final List<String> FILES = List.of("index.html", "console.css", "console.js", "api.js", "view.js",
      "profiles.js", "profile-form.js", "deliveries.js", "operator.js", "health.js", "metrics.js");

  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
      + "frame-ancestors 'none'";

  private static final Map<String, String> CONTENT_TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "js", "text/javascript; charset=utf-8");

  private final Map<String, Buffer> files;

  /** Reads the files at start-up (blocking classpath reads that never happen on an event loop). */
  public ConsoleResource() {
    Map<String, Buffer> read = new LinkedHashMap<>();
    for (String file : FILES) {
      read.put(file, read("console/" + file));
    }
    this.files = Map.copyOf(read);
  }

  @Override
  public void mount(Router router) {
    router.route("/console*").handler(ConsoleResource::secure);
    // Vert.x matches "/console" with or without the trailing slash: the page is served at "/console/" only, so
    // that its relative module imports resolve under /console/.
    router.get("/console").handler(ctx -> {
      if (ctx.request().path().endsWith("/")) {
        serve(ctx, "index.html");
      } else {
        ctx.redirect("/console/");
      }
    });
    router.get("/console/:file").handler(ctx -> {
      String file = ctx.pathParam("file");
      if (files.containsKey(file)) {
        serve(ctx, file);
      } else {
        ctx.next(); // the router's 404, with the headers already set
      }
    });
  }

  private static void secure(RoutingContext ctx) {
    ctx.response().headers()
        .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .set("X-Content-Type-Options", "nosniff")
        .set("Referrer-Policy", "no-referrer")
        .set("X-Frame-Options", "DENY")
        .set("Cache-Control", "no-cache");
    ctx.next();
  }

  private void serve(RoutingContext ctx, String file) {
    String extension = file.substring(file.lastIndexOf('.') + 1);
    ctx.response().putHeader("content-type", CONTENT_TYPES.get(extension)).end(files.get(file));
  }

  private static Buffer read(String resource) {
    try (InputStream in = ConsoleResource.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the classpath");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
