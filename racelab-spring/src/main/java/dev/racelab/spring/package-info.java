/**
 * racelab-junit in a Spring test, with no wiring: add {@code racelab-spring} as a test dependency and a
 * {@code @RaceTest} method in a {@code @SpringBootTest} races the application's own beans.
 *
 * <ul>
 *   <li>{@link dev.racelab.spring.RaceContextCustomizerFactory}, which Spring's test support finds in
 *       {@code META-INF/spring.factories}, makes the context's DataSource bean switchable, once, keeping its
 *       class ({@code HikariDataSource} stays injectable as one). Outside a race it behaves exactly as before.</li>
 *   <li>{@code race.interleave()} interleaves that bean: every JDBC step of Hibernate, Spring Data or a
 *       JdbcTemplate is a step of the schedule, while the race runs and only then.</li>
 *   <li>A race that starts inside the test's own transaction ({@code @Transactional} on the test, or
 *       {@code @DataJpaTest}) is refused with {@link dev.racelab.spring.SpringRaceHost#INSIDE_TEST_TRANSACTION}
 *       instead of a PASS that means nothing.</li>
 * </ul>
 *
 * <p>A module of its own, not a part of racelab-junit, so that Spring stays out of racelab-junit's
 * dependencies; the application brings Spring, so this module's Spring dependencies are provided.
 */
package dev.racelab.spring;
