package dev.racelab.examples.shop;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.resilience.annotation.EnableResilientMethods;

/** A shop on Spring Boot, Spring Data JPA, Hibernate, HikariCP and PostgreSQL: each race bug beside its fix. */
@SpringBootApplication
@EnableResilientMethods
public class ShopApplication {
    public static void main(String[] args) {
        SpringApplication.run(ShopApplication.class, args);
    }
}
