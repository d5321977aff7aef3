package io.callbackengine.domain.profile;

import io.callbackengine.domain.signing.SigningSecret;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A stored callback profile: the account's {@link ProfileSpec} plus what the engine keeps about it.
 *
 * @param previousSecret the secret before the last rotation, still used until {@code previousSecretExpiresAt}
 * @param modifiedAt null until the profile is first changed
 */
public record CallbackProfile(
    String id,
    String sid,
    ProfileSpec spec,
    ProfileStatus status,
    SigningSecret signingSecret,
    SigningSecret previousSecret,
    Instant previousSecretExpiresAt,
    Instant createdAt,
    Instant modifiedAt) {

  public static final String ID_PREFIX = "SG_";

  public CallbackProfile {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(sid, "sid");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(signingSecret, "signingSecret");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** A new profile id: {@code SG_} and a random UUID, as the Kaleyra samples show. */
  public static String newId() {
    return ID_PREFIX + UUID.randomUUID();
  }

  /** The secrets a callback sent at {@code now} is signed with: the current one, then the previous while it overlaps. */
  public List<SigningSecret> signingSecrets(Instant now) {
    List<SigningSecret> secrets = new ArrayList<>(2);
    secrets.add(signingSecret);
    if (previousSecret != null && previousSecretExpiresAt != null && now.isBefore(previousSecretExpiresAt)) {
      secrets.add(previousSecret);
    }
    return secrets;
  }
}
