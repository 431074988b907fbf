package dev.compactor.llm.bedrock;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;
import software.amazon.awssdk.http.async.SdkHttpContentPublisher;

/**
 * The AWS SDK's async HTTP interface over the JDK's {@link HttpClient}, so the Bedrock async
 * client (which ConverseStream needs) runs without Netty or the CRT: the SDK still builds, signs
 * and decodes every request and event stream; this class only moves the bytes. Requests stream
 * their body from the SDK's publisher; responses hand the SDK a publisher of the body as it
 * arrives, so event-stream frames are decoded as they come.
 */
final class JdkAsyncHttpClient implements SdkAsyncHttpClient {
    /** Headers the JDK client sets itself and refuses from callers; it writes the same values the SDK signed. */
    private static final Set<String> SET_BY_JDK = Set.of("host", "content-length", "connection", "expect", "upgrade");

    private final HttpClient http;

    JdkAsyncHttpClient(HttpClient http) {
        this.http = http;
    }

    @Override
    public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
        SdkAsyncHttpResponseHandler handler = request.responseHandler();
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> exchange;
        try {
            exchange = http.sendAsync(toJdk(request.request(), request.requestContentPublisher()), info -> {
                handler.onHeaders(SdkHttpFullResponse.builder().statusCode(info.statusCode()).headers(info.headers().map()).build());
                return HttpResponse.BodySubscribers.ofPublisher();
            });
        } catch (RuntimeException e) {
            handler.onError(e);
            done.completeExceptionally(e);
            return done;
        }
        exchange.whenComplete((response, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                handler.onError(cause);
                done.completeExceptionally(cause);
            } else {
                handler.onStream(new BodyPublisher(response.body(), done));
            }
        });
        // The SDK cancels the future when its call or attempt timeout fires: abort the exchange too.
        done.whenComplete((ignored, failure) -> {
            if (done.isCancelled()) {
                exchange.cancel(true);
            }
        });
        return done;
    }

    private static HttpRequest toJdk(SdkHttpRequest request, SdkHttpContentPublisher content) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.getUri());
        request.forEachHeader((name, values) -> {
            if (!SET_BY_JDK.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        long length = content == null ? 0 : content.contentLength().orElse(-1L);
        HttpRequest.BodyPublisher body = length == 0 ? HttpRequest.BodyPublishers.noBody()
                : length > 0 ? HttpRequest.BodyPublishers.fromPublisher(FlowAdapters.toFlowPublisher(content), length)
                : HttpRequest.BodyPublishers.fromPublisher(FlowAdapters.toFlowPublisher(content));
        return builder.method(request.method().name(), body).build();
    }

    @Override
    public String clientName() {
        return "JdkHttpClient";
    }

    @Override
    public void close() {
        // The JDK client is shared with the HTTP providers and lives as long as the container.
    }

    /**
     * The response body as the SDK reads it: one buffer per chunk the JDK delivers (its lists
     * merged), demand passed straight through, and {@code done} completed when the body ends.
     */
    private static final class BodyPublisher implements Publisher<ByteBuffer> {
        private final Flow.Publisher<List<ByteBuffer>> body;
        private final CompletableFuture<Void> done;

        BodyPublisher(Flow.Publisher<List<ByteBuffer>> body, CompletableFuture<Void> done) {
            this.body = body;
            this.done = done;
        }

        @Override
        public void subscribe(Subscriber<? super ByteBuffer> downstream) {
            body.subscribe(new Flow.Subscriber<>() {
                private Flow.Subscription upstream;

                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    upstream = subscription;
                    downstream.onSubscribe(new Subscription() {
                        @Override
                        public void request(long n) {
                            subscription.request(n);
                        }

                        @Override
                        public void cancel() {
                            subscription.cancel();
                            done.complete(null);
                        }
                    });
                }

                @Override
                public void onNext(List<ByteBuffer> buffers) {
                    ByteBuffer merged = merge(buffers);
                    if (merged.hasRemaining()) {
                        downstream.onNext(merged);
                    } else {
                        // Nothing to deliver: ask for the next chunk so the downstream demand is not lost.
                        upstream.request(1);
                    }
                }

                @Override
                public void onError(Throwable failure) {
                    downstream.onError(failure);
                    done.completeExceptionally(failure);
                }

                @Override
                public void onComplete() {
                    downstream.onComplete();
                    done.complete(null);
                }
            });
        }

        private static ByteBuffer merge(List<ByteBuffer> buffers) {
            if (buffers.size() == 1) {
                return buffers.get(0);
            }
            int size = 0;
            for (ByteBuffer b : buffers) {
                size += b.remaining();
            }
            ByteBuffer merged = ByteBuffer.allocate(size);
            buffers.forEach(merged::put);
            return merged.flip();
        }
    }
}
