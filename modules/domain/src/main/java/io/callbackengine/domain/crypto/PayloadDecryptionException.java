package io.callbackengine.domain.crypto;

/**
 * A callback value could not be decrypted: not base64, too short for its layout, or a failed GCM tag check.
 * The message names the problem, never the key, IV or plaintext.
 */
public final class PayloadDecryptionException extends RuntimeException {

  public PayloadDecryptionException(String message) {
    super(message);
  }

  public PayloadDecryptionException(String message, Throwable cause) {
    super(message, cause);
  }
}
