package io.callbackengine.domain.crypto;

/**
 * A secret sealed at rest could not be opened: the master key differs from the one that sealed it, the
 * associated data does not match, or the stored bytes were altered. The message holds nothing secret.
 */
public final class SecretUnsealException extends RuntimeException {

  public SecretUnsealException(String message) {
    super(message);
  }
}
