package io.runledger.core.internal.webhooks;

import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one webhook request with a hard deadline. Jetty's HttpClient is used rather than
 * java.net.http for two things the latter cannot do: its total timeout covers the whole
 * exchange (address lookup, connect, request, and the full response body, which is read and
 * discarded), after which the exchange is aborted and its connection closed; and its
 * pluggable address resolver lets the {@link AddressPolicy} check the very addresses the
 * client then connects to (see {@link CheckedAddressResolver}). No redirects are followed,
 * no cookies kept, and no compressed bodies decoded.
 */
final class WebhookSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    /** The outcome of one attempt: delivered when {@code error} is null. */
    record Outcome(Integer statusCode, String error) {
    }

    private final HttpClient client;
    private final Duration deadline;

    WebhookSender(AddressPolicy policy, Duration deadline, int perTarget) {
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        QueuedThreadPool threads = new QueuedThreadPool(32, 2);
        threads.setName("runledger-webhook-client");
        threads.setDaemon(true);
        ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler("runledger-webhook-timer", true);
        client = new HttpClient();
        client.setName("runledger-webhooks");
        client.setExecutor(threads);
        client.setScheduler(scheduler);
        client.setSocketAddressResolver(new CheckedAddressResolver(policy,
                new SocketAddressResolver.Async(threads, scheduler, deadline.toMillis())));
        client.setConnectTimeout(deadline.toMillis());
        client.setIdleTimeout(Duration.ofSeconds(30).toMillis());
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.getContentDecoderFactories().clear();
        client.setMaxConnectionsPerDestination(perTarget);
        client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "RunLedger-Webhooks/1"));
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the webhook HTTP client", e);
        }
    }

    /** POSTs {@code body} as JSON with {@code headers}; returns when the exchange is over or abandoned. */
    Outcome post(URI target, Map<String, String> headers, String body) throws InterruptedException {
        Request request = client.newRequest(target)
                .method(HttpMethod.POST)
                .timeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .headers(h -> headers.forEach(h::put))
                .body(new StringRequestContent("application/json", body));
        CompletableFuture<Result> done = new CompletableFuture<>();
        // A complete listener alone reads the response body and drops it: the deadline covers it.
        request.send(done::complete);
        Result result;
        try {
            // The total timeout completes the exchange; the margin only guards against a bug there.
            result = done.get(deadline.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            request.abort(e);
            throw e;
        } catch (TimeoutException | ExecutionException e) {
            request.abort(e);
            return new Outcome(null, timeout());
        }
        if (result.isFailed()) {
            return new Outcome(result.getResponse() == null || result.getResponse().getStatus() == 0
                    ? null : result.getResponse().getStatus(), describe(result.getFailure(), target.getHost()));
        }
        int status = result.getResponse().getStatus();
        return new Outcome(status, status >= 200 && status < 300 ? null : "HTTP " + status);
    }

    private String describe(Throwable failure, String host) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return timeout();
            }
            if (t instanceof AddressPolicy.RefusedAddressException) {
                return "refused: " + t.getMessage();
            }
            if (t instanceof UnknownHostException) {
                return "cannot resolve " + host;
            }
        }
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    private String timeout() {
        long ms = deadline.toMillis();
        return "timeout after " + (ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms");
    }

    /** Aborts the exchanges in flight (their senders see a failure) and stops the client's threads. */
    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            // closing must go on (the engine still closes its database); the threads are daemons
            log.warn("the webhook HTTP client did not stop cleanly: {}", e.toString());
        }
    }
}
