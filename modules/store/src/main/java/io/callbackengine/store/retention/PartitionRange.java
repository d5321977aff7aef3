package io.callbackengine.store.retention;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One time range of the logs, [from, to), whole minutes in UTC. Every partitioned log has one partition per range,
 * named after it: {@code <log>_p<yyyyMMddHHmm>_<yyyyMMddHHmm>}, so the bounds can be read back from the name.
 */
public record PartitionRange(Instant from, Instant to) {

  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);
  private static final Pattern NAME = Pattern.compile("_p(\\d{12})_(\\d{12})$");

  public String partitionOf(String log) {
    return log + "_p" + MINUTE.format(from) + "_" + MINUTE.format(to);
  }

  /** The range a partition's name gives, if it is one of ours. */
  static Optional<PartitionRange> ofPartition(String name) {
    Matcher m = NAME.matcher(name);
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(new PartitionRange(parse(m.group(1)), parse(m.group(2))));
  }

  private static Instant parse(String minute) {
    return java.time.LocalDateTime.parse(minute, DateTimeFormatter.ofPattern("yyyyMMddHHmm")).toInstant(ZoneOffset.UTC);
  }
}
