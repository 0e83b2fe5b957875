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
}
