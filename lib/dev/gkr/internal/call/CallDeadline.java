package dev.gkr.internal.call;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Interceptor;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The request timeout, enforced without OkHttp's own timeouts. OkHttp 4 runs call and read timeouts
 * through okio's AsyncTimeout: one global lock over a sorted linked list, so every call pays
 * O(calls in flight) to enter and leave it; with thousands of slots that became the bottleneck
 * (found with JFR and a thread dump, see the benchmark). Here each call gets a task in a
 * heap-ordered scheduler (O(log n)) that cancels it at the deadline; the body is read inside the
 * deadline, so a stalled body counts too.
 */
final class CallDeadline implements Interceptor, AutoCloseable {
  private final long timeoutNanos;
  private final ScheduledThreadPoolExecutor timer;

  CallDeadline(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
    this.timer =
        new ScheduledThreadPoolExecutor(
            1, r -> Thread.ofPlatform().daemon().name("gkr-deadlines").unstarted(r));
    timer.setRemoveOnCancelPolicy(true);
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    AtomicBoolean expired = new AtomicBoolean();
    ScheduledFuture<?> deadline =
        timer.schedule(
            () -> {
              expired.set(true);
              chain.call().cancel();
            },
            timeoutNanos,
            TimeUnit.NANOSECONDS);
    try {
      Response response = chain.proceed(chain.request());
      ResponseBody body = response.body();
      if (body == null) return response;
      byte[] bytes = body.bytes();
      return response.newBuilder().body(ResponseBody.create(bytes, body.contentType())).build();
    } catch (IOException e) {
      if (expired.get()) throw new InterruptedIOException("timeout");
      throw e;
    } finally {
      deadline.cancel(false);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
