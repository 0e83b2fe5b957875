package dev.gkr.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Why a file could not be read or written, in words a user acts on rather than Java's. */
final class IoReasons {
  private IoReasons() {}

  static String of(IOException e) {
    if (e instanceof NoSuchFileException) return "no such file";
    if (e instanceof AccessDeniedException) return "permission denied";
    if (e instanceof NotDirectoryException) return "a part of the path is not a folder";
    if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().get();
  }
}
