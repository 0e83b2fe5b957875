/**
 * The {@code gkr} command (picocli): {@link dev.gkr.cli.GkrCommand} runs a batch from a file, with
 * the {@code plan} and {@code simulator} subcommands. It uses only the public API of {@code
 * dev.gkr} and {@code dev.gkr.sim}; everything it prints is decided here, never in the library.
 */
package dev.gkr.cli;
