package io.lrnn.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the LRNN Serve microservice. */
@SpringBootApplication
public class LrnnServeApplication {

    public static void main(String[] args) {
        SpringApplication.run(LrnnServeApplication.class, args);
    }
}
