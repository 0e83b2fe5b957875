package dev.gkr;

import com.google.genai.Client;
import com.google.genai.types.Part;
import java.io.IOException;

/** Files too big to send inline go through the Files API, once per project. */
final class FileUploads {
  FileUploads(Settings s) {}

  Part part(ApiKey key, Client client, Attachment.Local file) throws IOException {
    throw new IOException(file.path() + " is too big to send inline (" + file.size() + " bytes) and uploads are not available");
  }
}
