package dev.gkr.internal.call;

import dev.gkr.ErrorType;
import dev.gkr.Outcome;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.json.JsonAnswers;
import dev.gkr.internal.json.RecordBinding;
import java.util.Optional;

/**
 * The JSON-mode rules applied to an answer before it is reported, shared by the synchronous slots
 * and Batch Mode: a cut-off JSON answer is a {@code truncated} task error unless accepted (a
 * repaired half object would pass as whole); a JSON answer that cannot be parsed or repaired is
 * {@code bad_json}; one that does not bind to the run's record type is {@code schema_mismatch}.
 *
 * @param json the parsed JSON of a success in JSON mode, else empty
 * @param raw the answer's text when JSON mode turned it into a failure, else empty
 */
public record AnswerCheck(Outcome outcome, String json, String raw) {
  public static AnswerCheck of(Settings settings, Outcome o) {
    if (settings.json().enabled()
        && o instanceof Outcome.Success s
        && s.truncated()
        && !settings.request().acceptTruncated()) {
      return new AnswerCheck(
          new Outcome.Failure(
              ErrorType.TRUNCATED,
              200,
              "OK",
              Classifier.truncatedMessage(s.outputTokens(), s.thoughtsTokens(), false),
              Optional.empty(),
              s.latency()),
          "",
          s.text());
    }
    if (settings.json().enabled() && o instanceof Outcome.Success s) {
      JsonAnswers.Parsed p = JsonAnswers.parse(s.text());
      Optional<String> mismatch =
          p.ok()
              ? settings.json().type().flatMap(type -> RecordBinding.problem(type, p.json()))
              : Optional.empty();
      if (mismatch.isPresent())
        return new AnswerCheck(
            new Outcome.Failure(
                ErrorType.SCHEMA_MISMATCH,
                200,
                "OK",
                "answer does not match "
                    + settings.json().type().get().getSimpleName()
                    + ": "
                    + mismatch.get(),
                Optional.empty(),
                s.latency()),
            "",
            s.text());
      if (p.ok()) return new AnswerCheck(o, p.json(), "");
      return new AnswerCheck(
          new Outcome.Failure(
              ErrorType.BAD_JSON, 200, "OK", p.error(), Optional.empty(), s.latency()),
          "",
          s.text());
    }
    return new AnswerCheck(o, "", "");
  }
}
