package io.callbackengine.domain.problem;

import java.util.List;

/**
 * A request the engine refuses for a reason the client can fix. The API's one failure handler turns it into
 * the envelope: {@link #httpStatus()} as the status, {@link #summary()} as {@code message}, every
 * {@link #violations() violation} in {@code error}. Messages never carry secrets.
 */
public class ClientProblem extends RuntimeException {

  private final int httpStatus;
  private final String summary;
  private final List<Violation> violations;

  public ClientProblem(int httpStatus, String summary, List<Violation> violations) {
    super(summary, null, false, false);
    if (httpStatus < 400 || httpStatus > 499) {
      throw new IllegalArgumentException("a client problem has a 4xx status, not " + httpStatus);
    }
    this.httpStatus = httpStatus;
    this.summary = summary;
    this.violations = List.copyOf(violations);
  }

  /** 400 with every violation; the first one's text is the summary, as the JSON-schema style sample does. */
  public static ClientProblem invalid(List<Violation> violations) {
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("an invalid request has at least one violation");
    }
    return new ClientProblem(400, violations.get(0).message(), violations);
  }

  public static ClientProblem invalid(Violation violation) {
    return invalid(List.of(violation));
  }

  /** 404: the summary is general ("No profile exists with this id"), the violation names the id. */
  public static ClientProblem notFound(String summary, Violation violation) {
    return new ClientProblem(404, summary, List.of(violation));
  }

  public static ClientProblem conflict(Violation violation) {
    return new ClientProblem(409, violation.message(), List.of(violation));
  }

  /** 401 with one body for every cause, so a caller cannot tell an unknown key from another account's. */
  public static ClientProblem unauthorized() {
    return new ClientProblem(401, "Invalid or missing credentials",
        List.of(Violation.headers("a valid api-key header for this account is required")));
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String summary() {
    return summary;
  }

  public List<Violation> violations() {
    return violations;
  }
}
