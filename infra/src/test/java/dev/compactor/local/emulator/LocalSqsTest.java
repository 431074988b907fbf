package dev.compactor.local.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

class LocalSqsTest {
    /**
     * A long-poll receive holds its request open for 20 s; ElasticMQ's own stop would wait for it
     * (up to a minute), longer than surefire lets a fork take to exit.
     */
    @Test
    void stoppingDoesNotWaitForALongPollInFlight() throws Exception {
        LocalSqs sqs = LocalSqs.start();
        String queue = sqs.client().createQueue(r -> r.queueName("long-poll")).queueUrl();
        CountDownLatch sent = new CountDownLatch(1);
        ExecutionInterceptor onSend = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                sent.countDown();
            }
        };
        try (SqsClient poller = SqsClient.builder().endpointOverride(URI.create(sqs.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(60)).build())
                .overrideConfiguration(o -> o.executionInterceptors(List.of(onSend)).retryStrategy(s -> s.maxAttempts(1)))
                .build()) {
            CompletableFuture<?> receive = CompletableFuture.runAsync(() -> poller.receiveMessage(r -> r.queueUrl(queue).waitTimeSeconds(20)));
            assertThat(sent.await(10, TimeUnit.SECONDS)).isTrue();
            long start = System.nanoTime();
            sqs.close();
            long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(stopMillis).as("time to stop ElasticMQ with a long poll in flight").isLessThan(10_000);
            receive.handle((ok, failed) -> null).get(30, TimeUnit.SECONDS);
        }
    }
}
