package io.callbackengine.domain.profile;

import java.util.Arrays;
import java.util.Optional;

/** A profile's status as the API shows it: 1 active, 2 auto-disabled (by the engine only), 3 disabled. */
public enum ProfileStatus {
  ACTIVE(1), AUTO_DISABLED(2), DISABLED(3);

  private final int code;

  ProfileStatus(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public boolean receivesCallbacks() {
    return this == ACTIVE;
  }

  public static Optional<ProfileStatus> fromCode(int code) {
    return Arrays.stream(values()).filter(s -> s.code == code).findFirst();
  }
}
