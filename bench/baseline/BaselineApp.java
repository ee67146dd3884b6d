package lrnnbench;

import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The comparison point of bench/predict.sh: the most trivial Spring Boot JSON POST endpoint
 * (parse a small array, answer its sum), run on the same JVM and machine as the service.
 * Launched as a single source file with the service's dependencies on the class path.
 */
@SpringBootApplication
@RestController
public class BaselineApp {

    record Numbers(List<Double> values) {
    }

    record Sum(double sum) {
    }

    @PostMapping("/sum")
    Sum sum(@RequestBody Numbers numbers) {
        return new Sum(numbers.values().stream().mapToDouble(Double::doubleValue).sum());
    }

    public static void main(String[] args) {
        SpringApplication.run(BaselineApp.class, args);
    }
}
