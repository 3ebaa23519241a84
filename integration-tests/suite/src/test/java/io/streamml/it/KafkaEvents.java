package io.streamml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The input the Kafka ITs read: simulated events replayed by {@code streamml produce} (some
 * malformed), plus values that are not UTF-8, which only a raw producer can send.
 */
final class KafkaEvents {

  static final List<byte[]> NOT_UTF8 =
      List.of(new byte[] {(byte) 0xff, (byte) 0xfe, 'x'}, new byte[] {'{', (byte) 0xc3, '('});

  private KafkaEvents() {}

  /**
   * Produces {@code simulated} events ({@code malformedRate} of them malformed) and the non-UTF-8
   * values into {@code topic}; returns how many records the topic received.
   */
  static long produce(
      LocalKafkaBroker broker, String topic, int simulated, double malformedRate, String... flags)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "produce",
                "--bootstrapServers=" + broker.bootstrapServers(),
                "--topic=" + topic,
                "--events=" + simulated,
                "--produceMalformedRate=" + malformedRate));
    args.addAll(List.of(flags));
    StreammlLauncher.Run produce = StreammlLauncher.run(120, args.toArray(String[]::new));
    assertEquals(0, produce.exitCode, produce.output);
    assertTrue(
        produce.output.contains(simulated + " records to " + topic),
        "produce said:\n" + produce.output);
    broker.send(topic, NOT_UTF8);
    return simulated + NOT_UTF8.size();
  }

  /** The raw payloads dead letters carry for the non-UTF-8 values, sorted. */
  static List<String> expectedNotUtf8Payloads() {
    return NOT_UTF8.stream().map(KafkaEvents::asNotUtf8).sorted().collect(Collectors.toList());
  }

  /** A record value as dead letters carry it: the text, or base64:... for bytes not UTF-8. */
  static String payload(byte[] value) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value))
          .toString();
    } catch (CharacterCodingException e) {
      return asNotUtf8(value);
    }
  }

  private static String asNotUtf8(byte[] value) {
    return "base64:" + Base64.getEncoder().encodeToString(value);
  }
}
