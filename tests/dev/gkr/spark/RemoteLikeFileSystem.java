package dev.gkr.spark;

import java.net.URI;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local disk under another scheme ({@code gkrtest:}), so gkr treats it as a remote file system
 * (HDFS, GCS, S3) and copies each shard's checkpoint in and out, while the test can still read it.
 */
public class RemoteLikeFileSystem extends RawLocalFileSystem {
  static final String SCHEME = "gkrtest";

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }
}
