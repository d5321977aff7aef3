package io.callbackengine.domain.account;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/** An account: the tenant that owns profiles, identified by its sid. */
public record Account(String sid, String name, Instant createdAt) {

  /** What an account may choose as its sid: letters, digits, {@code -} and {@code _}, 3 to 64 of them. */
  public static final Pattern SID = Pattern.compile("[A-Za-z0-9_-]{3,64}");
  private static final String SID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  public Account {
    Objects.requireNonNull(sid, "sid");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** A generated sid in the Kaleyra shape: {@code HX}, 9 random upper-case letters or digits, {@code IN}. */
  public static String newSid(SecureRandom random) {
    StringBuilder sid = new StringBuilder("HX");
    for (int i = 0; i < 9; i++) {
      sid.append(SID_ALPHABET.charAt(random.nextInt(SID_ALPHABET.length())));
    }
    return sid.append("IN").toString();
  }
}
