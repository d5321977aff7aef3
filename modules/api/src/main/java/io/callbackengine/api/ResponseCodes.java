package io.callbackengine.api;

/**
 * The {@code code} field of the envelope. Profile routes keep Kaleyra's codes ({@code RBC024} success,
 * {@code RBC302} any client error); the other route families have codes of their own, listed in openapi.yaml.
 * Server-side failures use {@code SRV500}/{@code SRV503} everywhere.
 */
public record ResponseCodes(String success, String clientError) {

  public static final ResponseCodes PROFILES = new ResponseCodes("RBC024", "RBC302");
  public static final ResponseCodes EVENTS = new ResponseCodes("EVT202", "EVT400");
  public static final ResponseCodes DELIVERIES = new ResponseCodes("DLV200", "DLV400");
  public static final ResponseCodes ADMIN = new ResponseCodes("ADM200", "ADM400");
  public static final ResponseCodes GENERAL = new ResponseCodes("GEN200", "GEN400");
  public static final String SERVER_ERROR = "SRV500";
  public static final String UNAVAILABLE = "SRV503";

  /**
   * The family a request path belongs to, so that errors raised before any handler ran still get its codes. The
   * families are openapi.yaml's: {@code /admin}, and {@code /v1/{sid}/callback/} followed by {@code profiles},
   * {@code events} or {@code deliveries}. Every other path, {@code /v1/{sid}/callback} itself included, is outside
   * them all and gets {@link #GENERAL}.
   */
  public static ResponseCodes forPath(String path) {
    if (path == null) {
      return GENERAL;
    }
    if (path.equals("/admin") || path.startsWith("/admin/")) {
      return ADMIN;
    }
    // "", "v1", sid, "callback", resource, rest
    String[] segments = path.split("/", 6);
    if (segments.length < 5 || !segments[1].equals("v1") || segments[2].isEmpty()
        || !segments[3].equals("callback")) {
      return GENERAL;
    }
    return switch (segments[4]) {
      case "profiles" -> PROFILES;
      case "events" -> EVENTS;
      case "deliveries" -> DELIVERIES;
      default -> GENERAL;
    };
  }
}
