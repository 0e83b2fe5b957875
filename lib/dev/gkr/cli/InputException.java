package dev.gkr.cli;

/** Bad usage or input: the message names the file, line and field; the command exits with 2. */
final class InputException extends Exception {
  InputException(String message) {
    super(message);
  }
}
