package io.streamml.transforms.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileBasedSource;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult.Metadata;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.ValueProvider.StaticValueProvider;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The lines of text files as {@link RawPayloads} (UTF-8 text, or the bytes in Base64 when a line is
 * not UTF-8), split by byte ranges like Beam's {@code TextIO}. {@code TextIO} would decode a line
 * that is not UTF-8 with U+FFFD replacement characters, so its bytes could never be dead-lettered
 * as they were. Lines end at {@code \n}; a {@code \r} before it and a UTF-8 byte-order mark at the
 * start of a file are dropped; blank lines are kept (parsing dead-letters them).
 */
final class RawLineSource extends FileBasedSource<String> {

  private static final long MIN_BUNDLE_BYTES = 8 * 1024;
  private static final byte[] UTF8_BOM = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};

  RawLineSource(String filePattern, EmptyMatchTreatment emptyMatchTreatment) {
    super(StaticValueProvider.of(filePattern), emptyMatchTreatment, MIN_BUNDLE_BYTES);
  }

  private RawLineSource(Metadata file, long start, long end) {
    super(file, MIN_BUNDLE_BYTES, start, end);
  }

  @Override
  protected FileBasedSource<String> createForSubrangeOfFile(Metadata file, long start, long end) {
    return new RawLineSource(file, start, end);
  }

  @Override
  protected FileBasedReader<String> createSingleFileReader(PipelineOptions options) {
    return new Reader(this);
  }

  @Override
  public Coder<String> getOutputCoder() {
    return StringUtf8Coder.of();
  }

  /** Reads whole lines; a line belongs to the range its first byte is in. */
  private static final class Reader extends FileBasedReader<String> {
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private @Nullable ReadableByteChannel channel;

    /** The file offset of the next byte {@link #nextByte} returns. */
    private long position;

    private long lineStart;
    private @Nullable String current;

    Reader(RawLineSource source) {
      super(source);
      buffer.limit(0);
    }

    @Override
    protected void startReading(ReadableByteChannel channel) throws IOException {
      this.channel = channel;
      long start = getCurrentSource().getStartOffset();
      if (start > 0) {
        // The line running across the range's start belongs to the range before: skip to its end.
        // Starting one byte early keeps a line that begins exactly at the start in this range.
        ((SeekableByteChannel) channel).position(start - 1);
        position = start - 1;
        int b;
        while ((b = nextByte()) != -1 && b != '\n') {}
      } else if (startsWithBom()) {
        position = UTF8_BOM.length;
      }
    }

    private boolean startsWithBom() throws IOException {
      if (!fill() || buffer.remaining() < UTF8_BOM.length) {
        return false;
      }
      for (int i = 0; i < UTF8_BOM.length; i++) {
        if (buffer.get(i) != UTF8_BOM[i]) {
          return false;
        }
      }
      buffer.position(UTF8_BOM.length);
      return true;
    }

    @Override
    protected boolean readNextRecord() throws IOException {
      lineStart = position;
      line.reset();
      int b = nextByte();
      if (b == -1) {
        return false;
      }
      while (b != -1 && b != '\n') {
        line.write(b);
        b = nextByte();
      }
      byte[] bytes = line.toByteArray();
      int length = bytes.length;
      if (length > 0 && bytes[length - 1] == '\r') {
        length--;
      }
      current = RawPayloads.decode(length == bytes.length ? bytes : slice(bytes, length));
      return true;
    }

    private static byte[] slice(byte[] bytes, int length) {
      byte[] copy = new byte[length];
      System.arraycopy(bytes, 0, copy, 0, length);
      return copy;
    }

    private int nextByte() throws IOException {
      if (!buffer.hasRemaining() && !fill()) {
        return -1;
      }
      position++;
      return buffer.get() & 0xff;
    }

    private boolean fill() throws IOException {
      buffer.clear();
      int read = 0;
      while (read == 0) {
        read = channel.read(buffer);
      }
      buffer.flip();
      return read > 0;
    }

    @Override
    protected long getCurrentOffset() throws NoSuchElementException {
      return lineStart;
    }

    @Override
    public String getCurrent() throws NoSuchElementException {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }
  }
}
