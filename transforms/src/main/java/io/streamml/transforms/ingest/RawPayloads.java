package io.streamml.transforms.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Raw payloads as text. Sources read bytes (Kafka); events are UTF-8 JSON. Bytes that are not UTF-8
 * must still reach the dead letters intact, so they travel as {@link #NOT_UTF8_PREFIX} + Base64 of
 * the bytes — a NUL can begin no JSON document, and {@link ParseEvents} dead-letters such payloads
 * with the Base64 kept in {@code raw_payload}.
 */
public final class RawPayloads {

  /** Marks a payload carried as Base64 because its bytes are not UTF-8. */
  public static final String NOT_UTF8_PREFIX = "\u0000base64:";

  private RawPayloads() {}

  /** The bytes as UTF-8 text, or {@link #NOT_UTF8_PREFIX} + Base64 if they are not UTF-8. */
  public static String decode(byte[] bytes) {
    if (bytes == null) {
      return "";
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return NOT_UTF8_PREFIX + Base64.getEncoder().encodeToString(bytes);
    }
  }

  public static boolean isNotUtf8(String payload) {
    return payload.startsWith(NOT_UTF8_PREFIX);
  }

  /** The dead letter's {@code raw_payload} for a not-UTF-8 payload: {@code base64:...}. */
  public static String deadLetterPayload(String payload) {
    return payload.substring(1);
  }

  /**
   * The payload as it was read, from a dead letter's {@code raw_payload}: the inverse of {@link
   * #deadLetterPayload}. Text that merely looks like {@code base64:} stays as it is.
   */
  public static String fromDeadLetterPayload(String rawPayload) {
    String marker = NOT_UTF8_PREFIX.substring(1);
    if (!rawPayload.startsWith(marker)) {
      return rawPayload;
    }
    try {
      return decode(Base64.getDecoder().decode(rawPayload.substring(marker.length())));
    } catch (IllegalArgumentException notBase64) {
      return rawPayload;
    }
  }
}
