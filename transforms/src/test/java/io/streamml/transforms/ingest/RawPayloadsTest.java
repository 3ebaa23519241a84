package io.streamml.transforms.ingest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class RawPayloadsTest {

  @Test
  public void utf8BytesDecodeToTheirText() {
    String text = "{\"city\":\"Zürich\"}";
    String decoded = RawPayloads.decode(text.getBytes(StandardCharsets.UTF_8));
    assertEquals(text, decoded);
    assertFalse(RawPayloads.isNotUtf8(decoded));
  }

  @Test
  public void otherBytesTravelAsBase64AndComeBackWhole() {
    byte[] latin1 = "{\"city\":\"Zürich\"}".getBytes(StandardCharsets.ISO_8859_1);
    String decoded = RawPayloads.decode(latin1);
    assertTrue(RawPayloads.isNotUtf8(decoded));
    String raw = RawPayloads.deadLetterPayload(decoded);
    assertEquals("base64:" + Base64.getEncoder().encodeToString(latin1), raw);
    assertEquals(
        new String(latin1, StandardCharsets.ISO_8859_1),
        new String(
            Base64.getDecoder().decode(raw.substring("base64:".length())),
            StandardCharsets.ISO_8859_1));
  }

  @Test
  public void aNullValueIsAnEmptyRecord() {
    assertEquals("", RawPayloads.decode(null));
  }
}
