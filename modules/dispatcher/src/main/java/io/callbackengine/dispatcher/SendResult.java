package io.callbackengine.dispatcher;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What happened on the wire for one attempt: the receiver's status (null when no response came) or the error,
 * up to 4 KiB of what it answered, a {@code Retry-After} it asked for, and the attempt's result class for metrics.
 */
public record SendResult(Instant startedAt, int durationMs, Integer httpStatus, String error, String excerpt,
    Optional<Duration> retryAfter, ResultClass resultClass) {

  /** A low-cardinality name for how an attempt ended: the status class, or why no status came. */
  public enum ResultClass {
    STATUS_2XX("2xx"), STATUS_3XX("3xx"), STATUS_4XX("4xx"), STATUS_5XX("5xx"), TIMEOUT("timeout"),
    REFUSED("refused"), ERROR("error");

    private final String label;

    ResultClass(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    public static ResultClass ofStatus(int status) {
      return status < 300 ? STATUS_2XX : status < 400 ? STATUS_3XX : status < 500 ? STATUS_4XX : STATUS_5XX;
    }
  }

  /** An attempt that got no answer. */
  public static SendResult failed(Instant startedAt, int durationMs, String error, ResultClass resultClass) {
    return new SendResult(startedAt, durationMs, null, error, null, Optional.empty(), resultClass);
  }

  /** A 2xx answer that came whole within the request timeout. */
  public boolean succeeded() {
    return resultClass != ResultClass.TIMEOUT && httpStatus != null && httpStatus >= 200 && httpStatus < 300;
  }
}
