package dev.gkr;

/**
 * The Batch Mode part of a run as {@link RunStats#jobs()} shows it: jobs {@code pending} and {@code
 * running} at Google, jobs {@code collected} (finished and read back, in any end state), tasks
 * {@code inJobs} waiting for their job's answers, and tasks {@code queued} for a later job. A job's
 * requests are not paced, so there is no request rate or ETA for this part. Immutable.
 */
public record JobStats(int pending, int running, int collected, int inJobs, int queued) {
  public static final JobStats NONE = new JobStats(0, 0, 0, 0, 0);

  /** Jobs of this run so far: created, re-attached, in any state. */
  public int jobs() {
    return pending + running + collected;
  }
}
