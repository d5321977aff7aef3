package io.callbackengine.domain.profile;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The channel a profile listens on. An {@code sms} profile takes the sms events it names; a default-channel
 * profile takes events of every other channel ({@code whatsapp}, {@code voice}, ...), all of them when its
 * event list is null.
 */
public enum ProfileChannel {
  SMS("sms"), DEFAULT("Default - No Channel Selected");

  private final String wireName;

  ProfileChannel(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<ProfileChannel> fromWireName(String name) {
    return Arrays.stream(values()).filter(c -> c.wireName.equals(name)).findFirst();
  }

  public static List<String> wireNames() {
    return Arrays.stream(values()).map(ProfileChannel::wireName).toList();
  }
}
