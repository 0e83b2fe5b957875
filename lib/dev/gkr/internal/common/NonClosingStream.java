package dev.gkr.internal.common;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A stream whose {@code close()} only flushes: writers (Tablesaw's CSV writer, try-with-resources)
 * close what they write to, and standard output must stay open after the results are written.
 */
public final class NonClosingStream extends FilterOutputStream {
  public NonClosingStream(OutputStream out) {
    super(out);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
  }

  @Override
  public void close() throws IOException {
    out.flush();
  }
}
