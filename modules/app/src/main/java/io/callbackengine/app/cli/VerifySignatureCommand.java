package io.callbackengine.app.cli;

import io.callbackengine.domain.signing.SigningSecret;
import io.callbackengine.domain.signing.WebhookSignature;
import io.callbackengine.domain.time.DurationText;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** For receivers: checks a callback's Standard Webhooks signature against the profile's signing secret. */
public final class VerifySignatureCommand implements Command {

  @Override
  public String name() {
    return "verify-signature";
  }

  @Override
  public String summary() {
    return "check a callback's webhook-signature (receivers)";
  }

  @Override
  public String usage() {
    return """
        Usage: java -jar callback-engine.jar verify-signature --secret whsec_... --id WEBHOOK_ID \\
                 --timestamp WEBHOOK_TIMESTAMP --signature WEBHOOK_SIGNATURE (--body TEXT | --body-file FILE) \\
                 [--tolerance 5m]
          --secret     the profile's signing_secret
          --id, --timestamp, --signature   the callback's webhook-id, webhook-timestamp and webhook-signature headers
          --body       the raw body exactly as received (or --body-file with it; '-' reads standard input)
          --tolerance  how far the timestamp may be from now (default 5m; e.g. 30d to check an old capture)
        Prints "valid" (exit 0) or why not (exit 1).
        """;
  }

  @Override
  public int run(Arguments args, PrintStream out, PrintStream err) throws Exception {
    SigningSecret secret;
    try {
      secret = SigningSecret.parse(args.required("--secret"));
    } catch (IllegalArgumentException e) {
      throw new Arguments.UsageException(e.getMessage());
    }
    byte[] body = body(args);
    Duration tolerance = DurationText.parse(args.option("--tolerance").orElse("5m"));
    String timestamp = args.required("--timestamp");
    boolean valid = WebhookSignature.verify(args.required("--id"), timestamp, args.required("--signature"), body, secret,
        Instant.now(), tolerance);
    if (valid) {
      out.println("valid");
      return 0;
    }
    boolean fresh = timestamp.matches("\\d{1,12}")
        && Duration.between(Instant.ofEpochSecond(Long.parseLong(timestamp)), Instant.now()).abs().compareTo(tolerance) <= 0;
    err.println(fresh ? "invalid: no signature matches this secret and body"
        : "invalid: the timestamp is not within " + DurationText.format(tolerance) + " of now (use --tolerance for old captures)");
    return 1;
  }

  private static byte[] body(Arguments args) throws Exception {
    if (args.option("--body").isPresent()) {
      return args.option("--body").get().getBytes(StandardCharsets.UTF_8);
    }
    String file = args.option("--body-file").orElseThrow(() -> new Arguments.UsageException("--body or --body-file is required"));
    return file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
  }
}
