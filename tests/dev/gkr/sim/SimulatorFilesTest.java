package dev.gkr.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.genai.Client;
import com.google.genai.errors.ApiException;
import com.google.genai.types.Content;
import com.google.genai.types.File;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.ListFilesConfig;
import com.google.genai.types.Part;
import com.google.genai.types.UploadFileConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulator's Files API through Google's own SDK: resumable upload, get, list, delete,
 * per-project visibility.
 */
class SimulatorFilesTest {

  static Client client(Simulator sim, String key) {
    return SimulatorTest.client(sim, key);
  }

  @Test
  void uploadedFileIsVisibleToItsProjectOnlyAndUsableInGenerateContent() {
    try (Simulator sim =
        Simulator.builder()
            .project("p1", Quota.unlimited(), "p1-key-aaaa", "p1-key-bbbb")
            .project("p2", Quota.unlimited(), "p2-key-cccc")
            .start()) {
      byte[] data =
          "%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n%%EOF\n"
              .repeat(400_000 / 40)
              .getBytes(StandardCharsets.ISO_8859_1);
      File f =
          client(sim, "p1-key-aaaa")
              .files
              .upload(
                  data,
                  UploadFileConfig.builder()
                      .mimeType("application/pdf")
                      .displayName("doc.pdf")
                      .build());
      assertTrue(f.name().orElseThrow().startsWith("files/"));
      assertEquals(data.length, f.sizeBytes().orElseThrow());
      assertEquals(1, sim.uploads().size());
      assertEquals("p1", sim.uploads().get(0).project());

      File seen = client(sim, "p1-key-bbbb").files.get(f.name().orElseThrow(), null);
      assertEquals(f.uri(), seen.uri());
      ApiException other =
          assertThrows(
              ApiException.class,
              () -> client(sim, "p2-key-cccc").files.get(f.name().orElseThrow(), null));
      assertEquals(403, other.code());
      List<File> p1 = new ArrayList<>();
      client(sim, "p1-key-bbbb").files.list(ListFilesConfig.builder().build()).forEach(p1::add);
      List<File> p2 = new ArrayList<>();
      client(sim, "p2-key-cccc").files.list(ListFilesConfig.builder().build()).forEach(p2::add);
      assertEquals(1, p1.size());
      assertEquals(0, p2.size());

      Content c =
          Content.fromParts(
              Part.fromUri(f.uri().orElseThrow(), "application/pdf"), Part.fromText("Summarise"));
      GenerateContentResponse r =
          client(sim, "p1-key-bbbb").models.generateContent("gemini-2.5-flash", c, null);
      assertTrue(r.text().startsWith("Answer "));
      assertTrue(sim.requests().get(0).parts().get(0).tokens() >= 258);
      ApiException denied =
          assertThrows(
              ApiException.class,
              () -> client(sim, "p2-key-cccc").models.generateContent("gemini-2.5-flash", c, null));
      assertEquals(403, denied.code());

      client(sim, "p1-key-aaaa").files.delete(f.name().orElseThrow(), null);
      assertEquals(
          403,
          assertThrows(
                  ApiException.class,
                  () -> client(sim, "p1-key-aaaa").files.get(f.name().orElseThrow(), null))
              .code());
    }
  }

  @Test
  void aFileLargerThanOneChunkArrivesWhole() {
    try (Simulator sim = Simulator.builder().start()) {
      byte[] data =
          new byte
              [9 * 1024 * 1024
                  + 123]; // the SDK sends 8 MiB chunks: "upload", then "upload, finalize"
      for (int i = 0; i < data.length; i++) data[i] = (byte) ('a' + i % 26);
      File f =
          client(sim, "big-key-0001")
              .files
              .upload(data, UploadFileConfig.builder().mimeType("text/plain").build());
      assertEquals(data.length, f.sizeBytes().orElseThrow());
      assertEquals(data.length, sim.uploads().get(0).sizeBytes());
    }
  }

  /**
   * Google's Python SDK sends the chunks of a resumable upload to the upload URL without the API
   * key: the session is the credential, as on Gemini. The simulator answered each such chunk 403
   * "unregistered callers" (issue 32); a chunk for a session that was never started is still
   * refused.
   */
  @Test
  void chunksWithoutTheKeyAreAcceptedForAStartedSession_issue32() throws Exception {
    try (Simulator sim =
        Simulator.builder().project("p1", Quota.unlimited(), "py-key-0001").start()) {
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      java.net.http.HttpResponse<String> start =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(sim.baseUrl() + "/upload/v1beta/files"))
                  .header("x-goog-api-key", "py-key-0001")
                  .header("X-Goog-Upload-Protocol", "resumable")
                  .header("X-Goog-Upload-Command", "start")
                  .header("X-Goog-Upload-Header-Content-Type", "text/plain")
                  .POST(
                      java.net.http.HttpRequest.BodyPublishers.ofString(
                          "{\"file\": {\"displayName\": \"notes.txt\"}}"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, start.statusCode(), start.body());
      String url = start.headers().firstValue("X-Goog-Upload-URL").orElseThrow();
      String[][] chunks = {{"upload", "0", "first half, "}, {"upload, finalize", "12", "second"}};
      java.net.http.HttpResponse<String> last = null;
      for (String[] c : chunks) {
        last =
            http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .header("X-Goog-Upload-Command", c[0])
                    .header("X-Goog-Upload-Offset", c[1])
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(c[2]))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, last.statusCode(), c[0] + ": " + last.body());
      }
      assertEquals("final", last.headers().firstValue("X-Goog-Upload-Status").orElse(""));
      assertEquals(1, sim.uploads().size());
      assertEquals(
          "p1", sim.uploads().get(0).project(), "the file belongs to the starting key's project");
      assertEquals(18, sim.uploads().get(0).sizeBytes());

      java.net.http.HttpResponse<String> stray =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(
                          sim.baseUrl()
                              + "/upload/v1beta/files?upload_id=upload-999&upload_protocol=resumable"))
                  .header("X-Goog-Upload-Command", "upload, finalize")
                  .header("X-Goog-Upload-Offset", "0")
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(404, stray.statusCode(), "no session, no upload: " + stray.body());
      assertEquals(1, sim.uploads().size());
    }
  }
}
