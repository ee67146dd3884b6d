package io.lrnn.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

/**
 * Runs the whole application, as {@code main} does, on a thread of its own, so a test can watch
 * it start (the HTTP port opens before the models are loaded) and stop. Extra sources should be
 * plain classes with {@code @Bean} methods (not {@code @Configuration}), so component scanning
 * never picks them up elsewhere; test configurations of other tests are kept out here as
 * {@code @SpringBootTest} keeps them out.
 */
public final class BackgroundApplication implements AutoCloseable {

    /**
     * Held by one application from its start until its logging is set up: logback's context is
     * one per JVM, and two applications configuring it at once fail ("Unable to find Spring
     * Environment in logger context"). Replicas are separate processes in production; the rest
     * of start-up (database migration included) still runs concurrently.
     */
    private static final Semaphore LOGGING_SET_UP = new Semaphore(1);

    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final CompletableFuture<ConfigurableApplicationContext> context = new CompletableFuture<>();

    private BackgroundApplication() {
    }

    /** Starts the application with {@code args} ({@code --name=value}) on port 0 plus {@code extraSources}. */
    public static BackgroundApplication start(List<Class<?>> extraSources, String... args) {
        BackgroundApplication app = new BackgroundApplication();
        List<Class<?>> sources = new ArrayList<>(List.of(LrnnServeApplication.class));
        sources.addAll(extraSources);
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--lrnn.grpc.port=0"));
        arguments.addAll(List.of(args));
        Thread thread = new Thread(() -> {
            AtomicBoolean holding = new AtomicBoolean();
            try {
                LOGGING_SET_UP.acquire();
                holding.set(true);
                app.context.complete(new SpringApplicationBuilder(sources.toArray(Class<?>[]::new))
                        .initializers(ctx -> ctx.getBeanFactory().registerSingleton("testTypeExcludeFilter",
                                new ExcludeTestTypes()))
                        .listeners((ApplicationListener<ApplicationEvent>) event -> {
                            if (event instanceof ApplicationPreparedEvent && holding.compareAndSet(true, false)) {
                                LOGGING_SET_UP.release();
                            }
                            if (event instanceof WebServerInitializedEvent initialized) {
                                app.port.complete(initialized.getWebServer().getPort());
                            }
                        })
                        .run(arguments.toArray(String[]::new)));
            } catch (Throwable e) {
                app.port.completeExceptionally(e);
                app.context.completeExceptionally(e);
            } finally {
                if (holding.compareAndSet(true, false)) {
                    LOGGING_SET_UP.release();
                }
            }
        }, "background-application");
        thread.setDaemon(true);
        thread.start();
        return app;
    }

    /** The HTTP port, once the web server listens (possibly before start-up has finished). */
    public int port() throws Exception {
        return port.get(60, TimeUnit.SECONDS);
    }

    /** The context, once start-up has finished. */
    public ConfigurableApplicationContext context() throws Exception {
        return context.get(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        context.thenAccept(ConfigurableApplicationContext::close);
    }

    /** Leaves out what {@code @SpringBootTest}'s filter leaves out: test configurations and classes nested in tests. */
    static final class ExcludeTestTypes extends TypeExcludeFilter {

        @Override
        public boolean match(MetadataReader reader, MetadataReaderFactory factory) throws IOException {
            if (reader.getAnnotationMetadata().hasAnnotation(TestConfiguration.class.getName())
                    || reader.getAnnotationMetadata().hasAnnotation(TestComponent.class.getName())) {
                return true;
            }
            String name = reader.getClassMetadata().getClassName();
            int nested = name.indexOf('$');
            return nested > 0 && name.substring(0, nested).matches(".*Tests?");
        }

        @Override
        public boolean equals(Object other) {
            return other != null && other.getClass() == getClass();
        }

        @Override
        public int hashCode() {
            return getClass().hashCode();
        }
    }
}
