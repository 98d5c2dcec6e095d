package dev.refgateway.bench.scg;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Spring Cloud Gateway for the benchmark: everything is in application.yaml, the rest is Spring's defaults. */
@SpringBootApplication
public class ScgBench {

    public static void main(String[] args) {
        SpringApplication.run(ScgBench.class, args);
    }
}
